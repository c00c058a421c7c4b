import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { elaborate } from '../../core/elaborate.ts';
import { projectRoot } from '../../core/source-location.ts';
import { defaultConfigPath, loadConfig } from '../../config/load-config.ts';
import { UserError } from '../../errors.ts';
import { generateBindings } from '../../../verif/bindings/generate-bindings.ts';

/** `hdlgen bindings`: writes the typed port declaration of a configured design's top module. */
export function registerBindings(program: Command): void {
  program
    .command('bindings')
    .description("write a TypeScript declaration of a design's top-level ports, for typed testbenches")
    .requiredOption('-d, --design <name>', 'design name in the configuration')
    .requiredOption('-o, --out <file>', 'the .ts file to write')
    .option('-c, --config <file>', 'configuration file')
    .action(async (o: { design: string; out: string; config?: string }) => {
      const designs = await loadConfig(o.config ? path.resolve(o.config) : defaultConfigPath);
      const d = designs.find((x) => x.name === o.design);
      if (!d) throw new UserError(`no design named '${o.design}' in the config; designs: ${designs.map((x) => x.name).join(', ')}`);
      const ir = elaborate(d.generator.def, d.params);
      const top = ir.modules.find((m) => m.name === ir.top)!;
      const out = path.resolve(o.out);
      let bits = path.relative(path.dirname(out), path.join(projectRoot, 'verif', 'bindings', 'bits.ts')).split(path.sep).join('/');
      if (!bits.startsWith('.')) bits = `./${bits}`;
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, generateBindings(top, bits));
      process.stdout.write(`wrote ${o.out} (ports of ${top.name})\n`);
    });
}
