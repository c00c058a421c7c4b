import { parse as parseYaml } from 'yaml';
import { missingTool } from '../support/missing-tool.ts';
import { execa, execaSync } from 'execa';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../hdl-gen/core/source-location.ts';
import { BOARDS, BOARD_ROLES, findBoard, type BoardRole } from '../../fpga/boards.ts';
import { exportFpgaFiles } from '../../fpga/flows/export.ts';
import { coreVlnv } from '../../fpga/flows/fusesoc.ts';
import { xilinxEstimate } from '../../fpga/flows/xilinx-estimate.ts';
import type { FpgaDesign } from '../../fpga/design-source.ts';
import { loadDesigns, prepareDesign } from '../../fpga/design-source.ts';

/**
 * Vivado, Quartus and FuseSoC cannot run here: these tests check that the generated files are
 * complete and agree with the design (file lists in filelist order and present on disk, top name,
 * clocks, pins), by reading them and, where tclsh exists, by executing the TCL against stub
 * commands that record every call.
 */
const out = path.join(projectRoot, 'build', 'fpga-test', 'export');
const works = (cmd: string, args: string[]) => {
  try {
    execaSync(cmd, args);
    return true;
  } catch {
    return false;
  }
};
const haveTclsh = works('tclsh', ['/dev/null']);
const haveSystemYosys = works('yosys', ['-V']);

let designs: FpgaDesign[] = [];
const read = (d: FpgaDesign, rel: string) => readFileSync(path.join(out, d.name, rel), 'utf8');
const filelist = (d: FpgaDesign) => read(d, `${d.name}.f`).split('\n').filter(Boolean);

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true });
  const r = await exportFpgaFiles({ out }, { cores: true, vendor: true });
  designs = r.designs;
}, 120_000);

describe('exported files: every design of the default config', () => {
  it('covers every configured design, including the board self-test', async () => {
    const configured = (await loadDesigns()).map((d) => d.name);
    expect(designs.map((d) => d.name)).toEqual(configured);
    expect(designs.find((d) => d.name === 'puzzlemoe_decode_bist')?.boardTop).not.toBeNull();
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { designs: { name: string; top: string }[] };
    for (const d of designs) expect(manifest.designs.find((m) => m.name === d.name)?.top).toBe(d.top);
  });

  it('filelists follow the printed modules, children first, and exist', () => {
    for (const d of designs) {
      expect(filelist(d), d.name).toEqual(d.modules.map((m) => m.fileName));
      for (const f of filelist(d)) expect(existsSync(path.join(out, d.name, f)), `${d.name}/${f}`).toBe(true);
      expect(filelist(d).at(-1)).toBe(`${d.top}.sv`);
    }
  });
});

describe('Vivado non-project batch scripts (Arty A7-35T)', () => {
  it('read every source in filelist order, name the top and part, constrain every clock, and run the whole flow', () => {
    const arty = findBoard('arty-a7-35t')!;
    for (const d of designs) {
      const tcl = read(d, 'vivado/build.tcl');
      const xdc = read(d, 'vivado/arty-a7-35t.xdc');
      const sources = /^set sources \[list (.*)\]$/m.exec(tcl)![1].match(/\[file join \$src_dir ([^\]]+)\]/g)!.map((s) => s.replace(/^\[file join \$src_dir |\]$/g, ''));
      expect(sources, d.name).toEqual(filelist(d));
      expect(tcl).toContain(`set top ${d.top}\n`);
      expect(tcl).toContain(`set part ${arty.device}\n`);
      const steps = ['read_verilog -sv $sources', 'read_xdc', 'synth_design -top $top -part $part', 'opt_design', 'place_design', 'route_design', 'report_utilization', 'report_timing_summary'];
      let at = -1;
      for (const s of steps) {
        const i = tcl.indexOf(s, at + 1);
        expect(i, `${d.name}: '${s}' after the previous step`).toBeGreaterThan(at);
        at = i;
      }
      const clocks = [...xdc.matchAll(/^create_clock -name (\S+) -period ([0-9.]+)(?: -waveform \{[0-9. ]+\})?(?: \[get_ports \{(\S+)\}\])?$/gm)];
      if (d.clocks.length) {
        expect(clocks.map((c) => c[3]), d.name).toEqual(d.clocks);
      } else {
        expect(clocks.map((c) => c[1]), d.name).toEqual(['vclk']);
        expect(xdc).toContain('set_input_delay -clock vclk 0.000 [all_inputs]');
      }
      if (d.boardTop) {
        expect(clocks.map((c) => c[2])).toEqual(['10.000']); // the board's 100 MHz oscillator
        for (const p of d.ports) {
          const pin = arty.pins[d.boardTop.ports[p.name]].pin;
          expect(xdc).toContain(`set_property -dict { PACKAGE_PIN ${pin} IOSTANDARD LVCMOS33 } [get_ports {${p.name}}]`);
        }
        expect(tcl).not.toContain('out_of_context');
        expect(tcl).toContain(`write_bitstream -force [file join $out_dir ${d.name}.bit]`);
      } else {
        expect(tcl).toContain('synth_design -top $top -part $part -mode out_of_context');
        expect(tcl).not.toMatch(/^write_bitstream/m);
        expect(xdc).not.toContain('PACKAGE_PIN');
      }
    }
  });
});

describe('Quartus scripts (DE10-Lite)', () => {
  it('list every source, the top and device, one SDC clock per clock port, pins or virtual pins', () => {
    const de10 = findBoard('de10-lite')!;
    for (const d of designs) {
      const qsf = read(d, `quartus/${d.name}.qsf`);
      const sdc = read(d, `quartus/${d.name}.sdc`);
      expect(read(d, `quartus/${d.name}.qpf`)).toContain(`PROJECT_REVISION = "${d.name}"`);
      expect(read(d, 'quartus/build.tcl')).toContain(`project_open ${d.name} -revision ${d.name}\n`);
      expect([...qsf.matchAll(/^set_global_assignment -name SYSTEMVERILOG_FILE \.\.\/(\S+)$/gm)].map((m) => m[1]), d.name).toEqual(filelist(d));
      expect(qsf).toContain(`set_global_assignment -name TOP_LEVEL_ENTITY ${d.top}\n`);
      expect(qsf).toContain(`set_global_assignment -name DEVICE ${de10.device}\n`);
      expect(qsf).toContain(`set_global_assignment -name SDC_FILE ${d.name}.sdc\n`);
      // every line is a comment or one assignment command (no trailing text Tcl would pass on)
      for (const line of qsf.split('\n').filter(Boolean)) expect(line, d.name).toMatch(/^(#.*|set_(global|location|instance)_assignment( -name [A-Z_]+ ("[^"]*"|\S+))?( -to \S+)?|set_location_assignment \S+ -to \S+)$/);
      const clocks = [...sdc.matchAll(/^create_clock -name (\S+) -period ([0-9.]+)(?: \[get_ports \{(\S+)\}\])?$/gm)];
      expect(clocks.map((c) => c[3] ?? c[1]), d.name).toEqual(d.clocks.length ? d.clocks : ['vclk']);
      if (d.boardTop) {
        expect(clocks.map((c) => c[2])).toEqual(['20.000']); // 50 MHz
        for (const p of d.ports) expect(qsf).toContain(`set_location_assignment ${de10.pins[d.boardTop.ports[p.name]].pin} -to ${p.name}\n`);
      } else {
        for (const p of d.ports.filter((q) => !d.clocks.includes(q.name))) expect(qsf).toContain(`set_instance_assignment -name VIRTUAL_PIN ON -to ${p.width > 1 ? `${p.name}[*]` : p.name}\n`);
        expect(qsf).not.toContain('set_location_assignment');
      }
    }
  });
});

describe.skipIf(missingTool(haveTclsh))('the TCL runs (tclsh with recording stubs for the vendor commands)', () => {
  const stubs = (names: string[]) => names.map((n) => `proc ${n} {args} { puts "CALL ${n} [concat {*}$args]"; return {} }`).join('\n');
  it('Vivado: every source read exists, the flow calls run in order, XDC commands are well formed', async () => {
    const vivado = ['set_part', 'read_verilog', 'read_xdc', 'synth_design', 'write_checkpoint', 'report_utilization', 'opt_design', 'place_design', 'phys_opt_design', 'route_design', 'report_timing_summary', 'write_bitstream', 'get_timing_paths'];
    const xdcCmds = ['create_clock', 'set_property', 'get_ports', 'current_design', 'set_input_delay', 'set_output_delay', 'all_inputs', 'all_outputs'];
    for (const d of designs) {
      const script = path.join(out, d.name, 'vivado', 'build.tcl');
      const xdc = path.join(out, d.name, 'vivado', 'arty-a7-35t.xdc');
      const prelude = `${stubs(vivado)}\nproc get_property {args} { return 0.5 }\nproc exit {args} { puts "CALL exit $args" }\n`;
      const r = await execa('tclsh', [], { input: `${prelude}\nsource ${script}\n${stubs(xdcCmds)}\nsource ${xdc}\n` });
      const calls = r.stdout.split('\n').filter((l) => l.startsWith('CALL ')).map((l) => l.slice(5));
      const readCall = calls.find((c) => c.startsWith('read_verilog'))!;
      const files = readCall.replace(/^read_verilog -sv /, '').split(' ');
      expect(files.map((f) => path.basename(f)), d.name).toEqual(filelist(d));
      for (const f of files) expect(existsSync(f), f).toBe(true);
      expect(calls.find((c) => c.startsWith('read_xdc'))).toBe(`read_xdc ${xdc}`);
      expect(calls.map((c) => c.split(' ')[0]).filter((c) => vivado.includes(c) && c !== 'get_timing_paths')).toEqual([
        'set_part', 'read_verilog', 'read_xdc', 'synth_design', 'write_checkpoint', 'report_utilization', 'opt_design', 'place_design', 'phys_opt_design', 'route_design', 'write_checkpoint', 'report_utilization', 'report_timing_summary', ...(d.boardTop ? ['write_bitstream'] : []),
      ]);
      expect(calls).not.toContain('exit 1');
      expect(calls.filter((c) => c.startsWith('create_clock')).length).toBe(Math.max(1, d.clocks.length));
    }
  }, 60_000);
  it('Quartus: the QSF and SDC are Tcl command lists; build.tcl opens the project and compiles', async () => {
    const cmds = ['set_global_assignment', 'set_location_assignment', 'set_instance_assignment', 'create_clock', 'derive_clock_uncertainty', 'get_ports', 'set_input_delay', 'set_output_delay', 'all_inputs', 'all_outputs', 'load_package', 'project_open', 'execute_flow', 'load_report', 'unload_report', 'project_close'];
    for (const d of designs) {
      const dir = path.join(out, d.name, 'quartus');
      const prelude = `${stubs(cmds)}\nproc get_report_panel_id {args} { return -1 }\n`;
      const r = await execa('tclsh', [], { input: `${prelude}\nsource ${path.join(dir, `${d.name}.qsf`)}\nsource ${path.join(dir, `${d.name}.sdc`)}\nsource ${path.join(dir, 'build.tcl')}\n` });
      const calls = r.stdout.split('\n').filter((l) => l.startsWith('CALL ')).map((l) => l.slice(5));
      const svFiles = calls.filter((c) => c.startsWith('set_global_assignment -name SYSTEMVERILOG_FILE')).map((c) => c.split(' ').at(-1)!);
      for (const f of svFiles) expect(existsSync(path.join(dir, f)), f).toBe(true);
      expect(svFiles.length).toBe(filelist(d).length);
      expect(calls).toContain(`project_open ${d.name} -revision ${d.name}`);
      expect(calls).toContain('execute_flow -compile');
    }
  }, 60_000);
});

describe('FuseSoC CAPI2 cores', () => {
  it('name the design, list its filelist and top in every target', () => {
    for (const d of designs) {
      const core = read(d, `${d.name}.core`);
      expect(core.split('\n')[0]).toBe('CAPI=2:');
      expect(core).toContain(`name: "${coreVlnv(d)}"\n`);
      const rtl = /  rtl:\n    file_type: systemVerilogSource\n    files:\n((?:      - "[^"]+"\n)+)/.exec(core)![1].trim().split('\n').map((l) => l.replace(/^\s*- "|"$/g, ''));
      expect(rtl, d.name).toEqual(filelist(d));
      expect([...core.matchAll(/^    toplevel: "([^"]+)"$/gm)].map((m) => m[1])).toEqual(Array(5).fill(d.top));
    }
  });

  it('parse as YAML with the structure FuseSoC expects (the yaml package)', () => {
    const cores = designs.map((d) => parseYaml(readFileSync(path.join(out, d.name, `${d.name}.core`), 'utf8')) as Record<string, any>);
    cores.forEach((c, i) => {
      const d = designs[i];
      expect(Object.keys(c)).toEqual(['CAPI=2', 'name', 'description', 'filesets', 'targets']);
      expect(c.name).toBe(coreVlnv(d));
      expect(c.filesets.rtl).toEqual({ file_type: 'systemVerilogSource', files: filelist(d) });
      expect(Object.keys(c.targets)).toEqual(['default', 'lint', 'sim', 'icestorm', 'vivado']);
      for (const t of Object.values(c.targets) as { toplevel: string; filesets: string[] }[]) {
        expect(t.toplevel).toBe(d.top);
        for (const fs of t.filesets) for (const f of c.filesets[fs].files as string[]) expect(existsSync(path.join(out, d.name, f)), `${d.name}: ${f}`).toBe(true);
      }
      expect(c.targets.lint.tools.verilator).toEqual({ mode: 'lint-only', verilator_options: ['-Wall'] });
      expect(c.targets.icestorm.tools.icestorm).toMatchObject({ pnr: 'next', arch: 'ice40', yosys_synth_options: ['-dsp'] });
      expect(c.targets.vivado.tools.vivado.part).toBe(findBoard('arty-a7-35t')!.device);
      if (d.boardTop) {
        expect(c.targets.icestorm.filesets).toEqual(['rtl', 'pcf']);
        const pcf = readFileSync(path.join(out, d.name, c.filesets.pcf.files[0]), 'utf8');
        for (const p of d.ports) expect(pcf).toMatch(new RegExp(`^set_io ${p.name} ${findBoard('icebreaker')!.pins[d.boardTop.ports[p.name]].pin} `, 'm'));
      } else {
        expect(c.targets.icestorm.filesets).toEqual(['rtl']);
      }
    });
  }, 60_000);
});

describe('boards', () => {
  it('map every role to a distinct pin', () => {
    for (const b of BOARDS) {
      expect(Object.keys(b.pins).sort(), b.id).toEqual([...BOARD_ROLES].sort());
      expect(new Set(Object.values(b.pins).map((p) => p.pin)).size, b.id).toBe(BOARD_ROLES.length);
    }
  });
});

describe.skipIf(missingTool(haveSystemYosys))('yosys synth_xilinx estimates', () => {
  it('count 7-series cells for a unit', async () => {
    const [d] = await loadDesigns(undefined, ['puzzlemoe-decode']);
    const e = await xilinxEstimate(prepareDesign(d), 'system');
    console.log(`[fpga] puzzlemoe-decode synth_xilinx: ${JSON.stringify(e)}`);
    // 4 lanes x 2 outputs x 16 bits through a skid buffer: registers on both stages
    expect(e.ffs).toBeGreaterThan(128);
    expect(e.luts).toBeGreaterThan(64);
    expect(e.dsp48).toBe(0);
  }, 60_000);
});

describe('fpga/README.md', () => {
  it('documents the BIST pinout exactly as fpga/boards.ts defines it', () => {
    const readme = readFileSync(path.join(projectRoot, 'fpga', 'README.md'), 'utf8');
    const rows = Object.fromEntries(
      readme
        .split('\n')
        .filter((l) => /^\| `(clk|rst|done|pass|fail)` \|/.test(l))
        .map((l) => {
          const cells = l.split('|').slice(1, -1).map((c) => c.trim());
          return [cells[0].replace(/`/g, ''), cells.slice(2)];
        }),
    );
    const order = ['icebreaker', 'ice40-hx8k-breakout', 'arty-a7-35t', 'de10-lite'];
    const roleOf: Record<string, BoardRole> = { clk: 'clock', rst: 'reset', done: 'led_done', pass: 'led_pass', fail: 'led_fail' };
    expect(Object.keys(rows).sort()).toEqual(Object.keys(roleOf).sort());
    for (const [port, role] of Object.entries(roleOf)) {
      order.forEach((id, i) => expect(rows[port][i].split(' ')[0], `${port} on ${id}`).toBe(findBoard(id)!.pins[role].pin));
    }
  });
});
