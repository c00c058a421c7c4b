import { UInt, defineModule, output, type Sig } from '../../hdl-gen/index.ts';

let leaked: Sig<'uint'> | null = null;

const Child = defineModule({
  name: 'Child',
  io: () => ({ y: output(UInt(8)) }),
  body: (m, io) => {
    const secret = m.wire('secret', UInt(8)); // @decl
    secret.set(42);
    leaked = secret;
    io.y.set(secret);
  },
});

/**
 * The parent reads a child's wire through a closure instead of a port. The error must point at the
 * use in the parent. (Currently it points at the child's declaration, the same place as the note.)
 */
export const design = defineModule({
  name: 'UseSignalOfOtherModule',
  io: () => ({ y: output(UInt(8)), z: output(UInt(8)) }),
  body: (m, io) => {
    io.y.set(m.instance('u', Child, {}).io.y);
    io.z.set(leaked!.add(1)); // @use
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/38-use-signal-of-other-module.ts:25:22: error[multiple-drivers]: 'secret' belongs to module 'Child' and cannot be used in 'UseSignalOfOtherModule'",
  "  test/bad-designs/38-use-signal-of-other-module.ts:9:22: note: 'secret' is declared here",
  '  help: pass the value through a port of the instance',
].join('\n');
