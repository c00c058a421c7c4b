import { UInt, defineModule, output } from '../../hdl-gen/index.ts';

/** Two clock domains with one name. */
export const design = defineModule({
  name: 'DomainDefinedTwice',
  io: () => ({ y: output(UInt(1)) }),
  body: (m, io) => {
    m.domain('video', { clock: 'clk_video' });
    m.domain('video', { clock: 'clk_video2' }); // @dom
    io.y.set(0);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/44-domain-defined-twice.ts:9:7: error[name-collision]: clock domain 'video' is already defined",
  '  help: give each domain a distinct name',
].join('\n');
