import { UInt, defineModule, output, type Signal } from '../../hdl-gen/index.ts';

let leaked: Signal<'uint'> | null = null;

const Child = defineModule({
  name: 'Child',
  io: () => ({ y: output(UInt(8)) }),
  body: (m, io) => {
    const w = m.wire('w', UInt(8)); // @decl
    leaked = w as Signal<'uint'>;
    io.y.set(w);
  },
});

/**
 * The parent drives a child's wire through a closure. (Currently accepted silently: the assignment
 * is appended to the child's body.)
 */
export const design = defineModule({
  name: 'DriveSignalOfOtherModule',
  io: () => ({ y: output(UInt(8)) }),
  body: (m, io) => {
    io.y.set(m.instance('u', Child, {}).io.y);
    leaked!.set(7); // @set
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/39-drive-signal-of-other-module.ts:24:13: error[multiple-drivers]: 'w' belongs to module 'Child' and cannot be driven from 'DriveSignalOfOtherModule'",
  "  test/bad-designs/39-drive-signal-of-other-module.ts:9:17: note: 'w' is declared here",
  '  help: connect through the instance ports instead',
].join('\n');
