import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** Names starting with '_' are reserved for generated temporaries. */
export const design = defineModule({
  name: 'UnderscoreName',
  io: () => ({ a: input(UInt(4)), y: output(UInt(4)) }),
  body: (m, io) => {
    io.y.set(m.let('_t0', io.a.not())); // @let
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/23-underscore-name.ts:8:16: error[name-collision]: wire name '_t0' starts with '_', which is reserved for generated temporaries",
  '  help: start the name with a letter',
].join('\n');
