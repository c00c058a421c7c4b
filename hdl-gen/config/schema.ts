import { z } from 'zod';

/** The generation configuration: which designs to generate, with which parameters. */
export const ConfigSchema = z
  .object({
    designs: z
      .array(
        z
          .object({
            name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and use letters, digits, - and _'),
            generator: z.string(),
            params: z.record(z.unknown()).default({}),
          })
          .strict(),
      )
      .min(1, 'list at least one design'),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
