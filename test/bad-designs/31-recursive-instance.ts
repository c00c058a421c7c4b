import { UInt, defineModule, output, type ModuleDef } from '../../hdl-gen/index.ts';

/** A module that instantiates itself with the same parameters. */
export const design: ModuleDef<{ depth: number }, any> = defineModule({
  name: 'Recursive',
  io: (_p: { depth: number }) => ({ y: output(UInt(1)) }),
  body: (m, io, p) => {
    io.y.set(m.instance('inner', design, { depth: p.depth }).io.y as never); // @inst
  },
});

export const params = { depth: 2 };

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/31-recursive-instance.ts:8:16: error[api-misuse]: module 'Recursive_depth2' instantiates itself (Recursive_depth2 -> Recursive_depth2)",
  '  help: recursion must end: make the parameters shrink until a leaf module is reached',
].join('\n');
