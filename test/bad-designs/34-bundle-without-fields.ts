import { Bundle, UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A Bundle needs at least one field. */
export const design = defineModule({
  name: 'BundleWithoutFields',
  io: () => ({
    a: input(Bundle({})), // @bundle
    y: output(UInt(1)),
  }),
  body: (_m, io) => io.y.set(0),
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/34-bundle-without-fields.ts:7:14: error[type-error]: a Bundle needs at least one field',
  '  help: declare the fields, e.g. Bundle({ valid: Bool(), data: UInt(8) })',
].join('\n');
