import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** Five initial words for a 4-word ROM. */
export const design = defineModule({
  name: 'MemoryTooManyInitWords',
  io: () => ({ addr: input(UInt(2)), q: output(UInt(8)) }),
  body: (m, io) => {
    const rom = m.memory('rom', { type: UInt(8), depth: 4, init: [1, 2, 3, 4, 5] }); // @mem
    io.q.set(rom.read(io.addr));
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/28-memory-too-many-init-words.ts:8:19: error[width-mismatch]: memory 'rom' has 5 initial words for depth 4",
  '  help: give at most depth words',
].join('\n');
