import { missingTool } from '../support/missing-tool.ts';
import { execa, execaSync } from 'execa';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../hdl-gen/core/source-location.ts';
import { loadFpgaDesign } from '../../fpga/design-source.ts';
import { runIce40, selfTestNetlist, synthesizeIce40, type Ice40Report } from '../../fpga/flows/ice40.ts';
import { fatalYosysWarnings, runYosysScript } from '../../fpga/tools/yosys-script.ts';

const outRoot = path.join(projectRoot, 'build', 'fpga-test');
const bin = path.join(projectRoot, 'bin', 'hdlgen.js');
const have = (cmd: string) => {
  try {
    execaSync(cmd, ['-V']);
    return true;
  } catch {
    return false;
  }
};
const haveVerilator = have('verilator');
const haveSystemYosys = have('yosys');

describe('hdlgen fpga ice40: argument errors', () => {
  it('names the bad option and the valid choices', async () => {
    await expect(runIce40({ design: 'counter', device: 'lp1k' })).rejects.toThrow("--device: unknown iCE40 device 'lp1k'; known devices: up5k, hx8k");
    await expect(runIce40({ design: 'counter', package: 'ct256' })).rejects.toThrow("--package: 'ct256' is not a package of the up5k; packages: sg48, uwg30");
    await expect(runIce40({ design: 'counter', freqMHz: 0 })).rejects.toThrow('--freq: the clock must be a number of MHz in (0, 1000], got 0');
    await expect(runIce40({ design: 'puzzlemoe_decode_bist', device: 'hx8k', package: 'cb132' })).rejects.toThrow(
      "design 'puzzlemoe_decode_bist' is a board top, and no known board has an iCE40 hx8k in package cb132; use --device up5k --package sg48 (iCEBreaker) or --device hx8k --package ct256 (HX8K breakout)",
    );
  });
  it('the CLI prints one line and exits 1 for an unknown design', async () => {
    const r = await execa('node', [bin, 'fpga', 'ice40', '--design', 'nope'], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^hdlgen: error: no design named 'nope' in the config; designs: counter, /);
    expect(r.stderr.split('\n')).toHaveLength(1);
  });
});

describe.skipIf(missingTool(haveSystemYosys))('yosys checks that are errors here', () => {
  it('an implicitly declared net stops synthesis (read_verilog -noautowire)', async () => {
    const r = await runYosysScript('system', { 'a.sv': 'module a(input logic x, output logic y);\n  assign w = x;\n  assign y = w;\nendmodule\n' }, 'read_verilog -sv -noautowire a.sv; hierarchy -top a', []);
    expect(r.ok).toBe(false);
    expect(r.log).toMatch(/implicitly declared/);
  });
  it('undriven-net warnings are picked out of a log', async () => {
    const r = await runYosysScript('system', { 'b.v': 'module b(output y);\n  wire w;\n  assign y = w;\nendmodule\n' }, 'read_verilog b.v; hierarchy -top b; proc; check', []);
    expect(r.ok).toBe(true);
    expect(fatalYosysWarnings(r.log)).toEqual([expect.stringMatching(/^Warning: Wire b\.\\w is used but has no driver\.$/)]);
    expect(fatalYosysWarnings('Warning: Replacing memory \\m with list of registers.\nABC: Warning: The network is combinational.')).toEqual([]);
  });
});

describe.skipIf(missingTool(haveVerilator))('hdlgen fpga ice40: the decode BIST on the iCEBreaker (embedded yosys, the default)', () => {
  it('writes a bitstream and a report meeting 12 MHz; the self-test passes on the RTL and on the synthesized netlist', async () => {
    const { report, dir } = await runIce40({ design: 'puzzlemoe_decode_bist', outRoot });
    console.log(`[fpga] ${report.design} ${report.target}: ${JSON.stringify(report.resources)}, Fmax ${report.timing.achievedMHz} MHz, seconds ${JSON.stringify(report.seconds)}`);
    expect(dir).toBe(path.join(outRoot, 'puzzlemoe_decode_bist', 'ice40-up5k-sg48'));
    const onDisk = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Ice40Report;
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(report)));
    for (const f of report.files) expect(existsSync(path.join(dir, f)), f).toBe(true);
    expect(report).toMatchObject({ mode: 'board', board: 'icebreaker', device: 'up5k', package: 'sg48', bitstream: 'puzzlemoe_decode_bist.bin' });
    expect(report.tools.yosys).toMatch(/^Yosys 0\.55/);
    expect(report.timing.requestedMHz).toBe(12);
    expect(report.timing.met).toBe(true);
    expect(report.timing.achievedMHz).toBeGreaterThanOrEqual(12);
    // the two ROMs are block RAMs, the decoder and checker are LUTs and flip-flops
    expect(report.resources.brams).toBeGreaterThan(0);
    expect(report.resources.luts).toBeGreaterThan(50);
    expect(report.resources.ffs).toBeGreaterThan(50);
    expect(report.utilization.ICESTORM_RAM.used).toBe(report.resources.brams);
    expect(report.utilization.SB_IO.used).toBe(5);
    expect(report.selfTest.rtl).toMatchObject({ done: true, pass: true, fail: false });
    expect(report.selfTest.netlist).toMatchObject({ done: true, pass: true, fail: false });
    // an iCE40 bitstream: the 0x7EAA997E synchronisation word near the start
    const bits = readFileSync(path.join(dir, report.bitstream!));
    expect(bits.length).toBeGreaterThan(100_000);
    expect(bits.subarray(0, 64).toString('hex')).toContain('7eaa997e');
    const pcf = readFileSync(path.join(dir, 'icebreaker.pcf'), 'utf8');
    for (const line of ['set_io clk 35 ', 'set_io rst 20 ', 'set_io done 27 ', 'set_io pass 25 ', 'set_io fail 21 ']) expect(pcf).toContain(line);
    // the netlist is technology cells
    expect(readFileSync(path.join(dir, 'netlist.v'), 'utf8')).toMatch(/SB_RAM40_4K/);
  }, 400_000);
});

describe.skipIf(missingTool(haveVerilator && haveSystemYosys))('post-synthesis re-simulation (system yosys 0.23 and its cells_sim.v)', () => {
  it('a netlist synthesized from a corrupted ROM reports fail', async () => {
    const dir = path.join(outRoot, 'configs');
    mkdirSync(dir, { recursive: true });
    const config = path.join(dir, 'bist-corrupt.json');
    writeFileSync(config, JSON.stringify({ designs: [{ name: 'bist_corrupt', generator: 'puzzlemoe-decode-bist', params: { vectors: 64, corruptBeat: 40 } }] }));
    const design = await loadFpgaDesign('bist_corrupt', config);
    const synth = await synthesizeIce40(design, 'system');
    expect(synth.ok).toBe(true);
    const r = await selfTestNetlist(design, synth.netlistV, 'system', path.join(outRoot, 'bist_corrupt-postsynth'));
    expect(r).toMatchObject({ done: true, pass: false, fail: true });
  }, 300_000);
});

describe.skipIf(missingTool(haveSystemYosys))('hdlgen fpga ice40: timing', () => {
  it('a timing miss writes the report without a bitstream and fails; --allow-timing-fail writes the bitstream', async () => {
    const opts = { design: 'counter', freqMHz: 900, yosys: 'system' as const, outRoot };
    const dir = path.join(outRoot, 'counter', 'ice40-up5k-sg48');
    await expect(runIce40(opts)).rejects.toThrow(
      new RegExp(`^timing not met for 'counter' on ice40-up5k-sg48: Fmax [0-9.]+ MHz < requested 900 MHz; no bitstream written \\(report: ${path.relative(process.cwd(), dir).replace(/[.]/g, '\\.')}/report\\.json\\); lower --freq or pass --allow-timing-fail$`),
    );
    const missed = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Ice40Report;
    expect(missed).toMatchObject({ mode: 'scan-wrapper', bitstream: null, timing: { requestedMHz: 900, met: false } });
    expect(existsSync(path.join(dir, 'counter.bin'))).toBe(false);
    // the counter alone: 8 flip-flops, its adder in LUTs and carries
    expect(missed.resources.ffs).toBe(8);
    const { report } = await runIce40({ ...opts, allowTimingFail: true });
    expect(report.bitstream).toBe('counter.bin');
    expect(existsSync(path.join(dir, 'counter.bin'))).toBe(true);
  }, 200_000);
});

describe.skipIf(missingTool(haveVerilator && haveSystemYosys))('post-synthesis re-simulation of a unit against its golden model', () => {
  it('the configured decode unit (4 lanes, registered), synthesized for iCE40: all 65,536 words through the netlist', async () => {
    const { decodeWord } = await import('../../hdl-gen/units/puzzlemoe/golden/format.ts');
    const { buildNetlistSim } = await import('../../fpga/flows/post-synth-sim.ts');
    const design = await loadFpgaDesign('puzzlemoe-decode');
    expect(design.params).toMatchObject({ lanes: 4, outputRegister: true });
    const synth = await synthesizeIce40(design, 'system');
    expect(synth.unitNetlistV).toMatch(new RegExp(`^module ${design.top}\\(`, 'm'));
    expect(synth.unitNetlistV).toMatch(/SB_DFF/);
    const sim = await buildNetlistSim(design, synth.unitNetlistV, 'system', path.join(outRoot, 'decode-postsynth'));
    try {
      const lanes = 4;
      const beats: bigint[] = [];
      for (let w = 0; w < 0x10000; w += lanes) beats.push([0, 1, 2, 3].reduceRight((acc, k) => (acc << 16n) | BigInt(w + k), 0n));
      beats.push(0n);
      const ones = beats.map(() => 1);
      sim.poke('rst', 1);
      sim.step(2);
      sim.poke('rst', 0);
      const o = await sim.runVectors({ in_words: beats, in_valid: ones, out_ready: ones }, 'clocked');
      const bad: string[] = [];
      for (let i = 0; i + 1 < beats.length; i++) {
        if (o.out_valid[i + 1] !== 1n) bad.push(`beat ${i}: out_valid low`);
        for (let k = 0; k < lanes; k++) {
          const w = i * lanes + k;
          const got = [Number((o.out_lane0[i + 1] >> BigInt(16 * k)) & 0xffffn), Number((o.out_lane1[i + 1] >> BigInt(16 * k)) & 0xffffn)];
          if (got[0] !== decodeWord(w)[0] || got[1] !== decodeWord(w)[1]) bad.push(`word 0x${w.toString(16)}: netlist ${got}, golden ${decodeWord(w)}`);
        }
      }
      expect(bad.slice(0, 10)).toEqual([]);
    } finally {
      await sim.close();
    }
  }, 300_000);
});
