import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A switch with a default but no cases. */
export const design = defineModule({
  name: 'SwitchDefaultNoCases',
  io: () => ({ s: input(UInt(2)), y: output(UInt(4)) }),
  body: (m, io) => {
    io.y.set(0);
    m.switch(io.s).default(() => io.y.set(1)); // @switch
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/26-switch-default-no-cases.ts:9:7: error[api-misuse]: switch has a default but no cases',
  '  help: add .is(value, ...) cases, or drop the switch',
].join('\n');
