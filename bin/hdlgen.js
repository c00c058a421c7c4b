#!/usr/bin/env node
// Thin launcher: registers tsx so the CLI (and user configs written in TS) run from source.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../hdl-gen/cli/main.ts');
process.exitCode = await main(process.argv);
