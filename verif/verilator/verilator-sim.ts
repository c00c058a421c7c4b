import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { execa, type ResultPromise } from 'execa';
import type { IrDesign } from '../../hdl-gen/ir/ir.ts';
import { buildVerilatorModel, PROJECT_ROOT, type BuildOptions, type BuildResult } from './build.ts';
import { decodeColumn, encodeColumn, readValue, writeValue } from './codec.ts';
import { PROTOCOL_VERSION, type HarnessLayout, type PortLayout } from './harness.ts';

/**
 * Runs a Verilator model of a design through the streaming harness (templates/verilator/).
 *
 * Two ways to drive it:
 *  - bulk: `runVectors(inputs, 'comb' | 'clocked')` streams input records and returns every output
 *    for every vector (millions per minute; a single process, pipelined batches);
 *  - per cycle: `poke`, `step`, `reset`, `eval` are queued without a round trip and `peek` flushes
 *    the queue and waits for its value, so handshake-style testbenches pay one round trip per peek.
 *
 * Cycle semantics (both APIs): a clocked cycle applies the inputs with every clock low, evaluates,
 * samples the outputs, then raises the clocks (the posedge) and evaluates. So in clocked mode
 * output[i] = f(state before edge i, input[i]). Combinational mode never touches the clocks.
 * All clock ports (role 'clock') toggle together; they are not inputs of the protocol.
 *
 * Values are bigints of the port's raw bits (unsigned); a signed port also accepts negative input
 * values. Always `close()` the simulator (it ends the harness process and finishes the FST).
 */

const OP_VEC_COMB = 0x01;
const OP_VEC_CLOCKED = 0x02;
const OP_POKE = 0x03;
const OP_STEP = 0x04;
const OP_PEEK = 0x05;
const OP_EVAL = 0x06;
const OP_SYNC = 0x07;
const OP_QUIT = 0x08;
const OP_TRACE = 0x09;
const HELLO_BYTES = 21;
const MAX_STEP = 0xffffffff;

export type Value = bigint | number;
export type VectorMode = 'comb' | 'clocked';

export interface SimOptions extends BuildOptions {
  /** Dump an FST waveform to this path (implies `trace`). Default with `trace`: build/waves/<top>.fst. */
  readonly fstPath?: string;
}

export interface RunVectorsOptions {
  /** Assert the reset port(s) for this many cycles before the vectors (clocked designs). */
  readonly reset?: number;
  /** Vectors per harness command (default: about 256 KiB of input records, at most 65536). */
  readonly batchSize?: number;
  /** Called as output batches arrive (vectors done so far, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One command of `run(batch)`. Only `peek` produces a result. */
export type SimCommand =
  | { readonly op: 'poke'; readonly port: string; readonly value: Value }
  | { readonly op: 'step'; readonly cycles?: number }
  | { readonly op: 'eval' }
  | { readonly op: 'reset'; readonly cycles?: number }
  | { readonly op: 'peek'; readonly port: string };

/** A growable byte buffer for queued commands. */
class ByteWriter {
  private buf = Buffer.allocUnsafe(4096);
  len = 0;
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.len++] = v;
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16LE(v, this.len);
    this.len += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v, this.len);
    this.len += 4;
  }
  value(p: PortLayout, v: Value): void {
    this.ensure(p.bytes);
    writeValue(p, v, this.buf, this.len);
    this.len += p.bytes;
  }
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.len));
    this.len = 0;
    return out;
  }
}

interface Expectation {
  remaining: number;
  readonly sink: (chunk: Buffer) => void;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

/** Streams output records of one batch into the output arrays (records may straddle chunks). */
class RecordDecoder {
  private carry: Buffer;
  private carryLen = 0;
  private index: number;
  constructor(
    private readonly outputs: readonly PortLayout[],
    private readonly recBytes: number,
    private readonly out: bigint[][],
    start: number,
  ) {
    this.index = start;
    this.carry = Buffer.allocUnsafe(recBytes);
  }
  push(chunk: Buffer): void {
    const rec = this.recBytes;
    if (rec === 0) return;
    let pos = 0;
    if (this.carryLen) {
      const k = Math.min(rec - this.carryLen, chunk.length);
      chunk.copy(this.carry, this.carryLen, 0, k);
      this.carryLen += k;
      pos = k;
      if (this.carryLen < rec) return;
      this.decode(this.carry, 0, 1);
      this.carryLen = 0;
    }
    const whole = Math.floor((chunk.length - pos) / rec);
    if (whole) this.decode(chunk, pos, whole);
    pos += whole * rec;
    if (pos < chunk.length) {
      chunk.copy(this.carry, 0, pos);
      this.carryLen = chunk.length - pos;
    }
  }
  private decode(buf: Buffer, base: number, count: number): void {
    for (let j = 0; j < this.outputs.length; j++) decodeColumn(this.outputs[j], buf, base, this.recBytes, count, this.out[j], this.index);
    this.index += count;
  }
}

export class VerilatorSim {
  readonly layout: HarnessLayout;
  /** The FST being written, if tracing. */
  fstPath: string | null;
  private readonly byName = new Map<string, PortLayout>();
  private readonly staged = new Map<string, bigint>();
  private readonly cmd = new ByteWriter();
  private readonly pending: Expectation[] = [];
  private flushScheduled = false;
  private busy = false;
  private dead: Error | null = null;
  private closed: Promise<void> | null = null;
  private stderrTail = '';
  private readonly stdin: Writable;
  private readonly stdout: Readable;
  /** Clock cycles stepped so far (step, reset and clocked vectors). */
  cycle = 0;

  private constructor(
    readonly build: BuildResult,
    private readonly proc: ResultPromise,
    fstPath: string | null,
  ) {
    this.layout = build.layout;
    this.fstPath = fstPath;
    for (const p of [...this.layout.inputs, ...this.layout.outputs]) this.byName.set(p.name, p);
    for (const p of this.layout.inputs) this.staged.set(p.name, 0n);
    this.stdin = proc.stdin!;
    this.stdout = proc.stdout!;
    this.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    proc.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-8192);
    });
    this.stdin.on('error', () => {}); // EPIPE when the harness died: reported through the exit
    proc.then(
      (r) => this.onExit(r.exitCode, r.signal),
      (e: unknown) => this.onExit(undefined, String(e)),
    );
  }

  /** Builds (or takes from the cache) the model of `design` and starts its harness. */
  static async build(design: IrDesign, opts: SimOptions = {}): Promise<VerilatorSim> {
    const trace = opts.trace || opts.fstPath !== undefined;
    const b = await buildVerilatorModel(design, { ...opts, trace });
    const fst = trace ? resolve(opts.fstPath ?? join(PROJECT_ROOT, 'build', 'waves', `${design.top}.fst`)) : undefined;
    return VerilatorSim.start(b, { fstPath: fst });
  }

  /** Starts a harness process from a build (several simulators may share one build). */
  static async start(b: BuildResult, opts: { fstPath?: string } = {}): Promise<VerilatorSim> {
    if (opts.fstPath !== undefined && !b.trace) throw new Error('verilator: an FST needs a build with trace: true');
    const args: string[] = [];
    if (opts.fstPath !== undefined) {
      mkdirSync(dirname(opts.fstPath), { recursive: true });
      args.push('--fst', opts.fstPath);
    }
    const proc = execa(b.exe, args, { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false, encoding: 'buffer' });
    const sim = new VerilatorSim(b, proc, opts.fstPath ?? null);
    const hello = await sim.expectBytes(HELLO_BYTES).catch(async (e: Error) => {
      await sim.close().catch(() => {});
      throw e;
    });
    const ok =
      hello.subarray(0, 4).toString('latin1') === 'VHS1' &&
      hello.readUInt32LE(4) === PROTOCOL_VERSION &&
      hello.readUInt32LE(8) === b.layout.inRecBytes &&
      hello.readUInt32LE(12) === b.layout.outRecBytes &&
      hello.readUInt32LE(16) === b.layout.inputs.length + b.layout.outputs.length;
    if (!ok) {
      await sim.close().catch(() => {});
      throw new Error(`verilator: harness ${b.exe} does not speak this protocol (hello ${hello.toString('hex')}); delete ${b.dir}`);
    }
    return sim;
  }

  /** True when the model came from the cache (no Verilator run). */
  get cacheHit(): boolean {
    return this.build.cacheHit;
  }

  get inputs(): readonly PortLayout[] {
    return this.layout.inputs;
  }

  get outputs(): readonly PortLayout[] {
    return this.layout.outputs;
  }

  // ---- per-cycle API ------------------------------------------------------------------------

  /** Sets an input (queued; takes effect at the next eval, step or peek). */
  poke(port: string, value: Value): void {
    this.usable();
    const p = this.port(port, 'input');
    const bits = this.toStaged(p, value);
    this.cmd.u8(OP_POKE);
    this.cmd.u16(p.index);
    this.cmd.value(p, bits);
    this.staged.set(p.name, bits);
  }

  /** Runs `cycles` clock cycles with the current inputs (queued). */
  step(cycles = 1): void {
    this.usable();
    if (!Number.isSafeInteger(cycles) || cycles < 0) throw new RangeError(`step: cycles must be a non-negative integer, got ${cycles}`);
    this.cycle += cycles;
    while (cycles > 0) {
      const n = Math.min(cycles, MAX_STEP);
      this.cmd.u8(OP_STEP);
      this.cmd.u32(n);
      cycles -= n;
    }
  }

  /** Evaluates the model (and writes one trace time step) without a clock edge (queued). */
  eval(): void {
    this.usable();
    this.cmd.u8(OP_EVAL);
  }

  /**
   * Asserts every reset port (active-high or active-low as its domain says) for `cycles` clock
   * cycles, then deasserts it (queued). Other inputs keep their values.
   */
  reset(cycles = 1): void {
    this.usable();
    if (this.layout.resets.length === 0) throw new Error(`reset: '${this.layout.top}' has no reset port`);
    for (const r of this.layout.resets) this.poke(r.name, r.activeLow ? 0n : 1n);
    this.step(cycles);
    for (const r of this.layout.resets) this.poke(r.name, r.activeLow ? 1n : 0n);
  }

  /** The current value of any port (inputs and outputs), after settling queued pokes. */
  peek(port: string): Promise<bigint> {
    this.usable();
    const p = this.port(port);
    this.cmd.u8(OP_PEEK);
    this.cmd.u16(p.index);
    const r = this.expectBytes(p.bytes).then((b) => readValue(p, b, 0));
    this.scheduleFlush();
    return r;
  }

  /** Every output's current value. */
  async peekOutputs(): Promise<Record<string, bigint>> {
    const vals = await Promise.all(this.layout.outputs.map((p) => this.peek(p.name)));
    return Object.fromEntries(this.layout.outputs.map((p, i) => [p.name, vals[i]]));
  }

  /** Waits until the harness has executed everything queued so far. */
  async sync(): Promise<void> {
    this.usable();
    this.cmd.u8(OP_SYNC);
    const b = this.expectBytes(1);
    this.flushCommands();
    const r = await b;
    if (r[0] !== 0xa5) throw new Error(`verilator: protocol error (sync reply 0x${r[0].toString(16)})`);
  }

  /**
   * Starts writing an FST at `path` from now on (queued; the model must be built with trace: true).
   * Trace times are absolute: they count from the start of the simulation either way.
   */
  startTrace(path: string): void {
    this.usable();
    if (!this.build.trace) throw new Error('verilator: startTrace needs a build with trace: true');
    if (this.fstPath) throw new Error(`verilator: already writing ${this.fstPath}`);
    const abs = resolve(path);
    mkdirSync(dirname(abs), { recursive: true });
    const bytes = Buffer.from(abs, 'utf8');
    if (bytes.length > 0xffff) throw new Error('verilator: FST path too long');
    this.cmd.u8(OP_TRACE);
    this.cmd.u16(bytes.length);
    for (const b of bytes) this.cmd.u8(b);
    this.fstPath = abs;
  }

  /** Runs a batch of commands in one round trip; returns the peeked values in order. */
  async run(batch: readonly SimCommand[]): Promise<bigint[]> {
    const peeks: Promise<bigint>[] = [];
    for (const c of batch) {
      switch (c.op) {
        case 'poke':
          this.poke(c.port, c.value);
          break;
        case 'step':
          this.step(c.cycles ?? 1);
          break;
        case 'eval':
          this.eval();
          break;
        case 'reset':
          this.reset(c.cycles ?? 1);
          break;
        case 'peek':
          peeks.push(this.peek(c.port));
          break;
      }
    }
    this.flushCommands();
    return Promise.all(peeks);
  }

  // ---- bulk API -----------------------------------------------------------------------------

  /**
   * Applies vector i of every input (missing inputs keep their current value) and returns every
   * output for every vector. 'comb': set inputs, eval, sample. 'clocked': set inputs with the clocks
   * low, eval, sample, posedge (one clock cycle per vector). Afterwards the inputs hold the last
   * vector's values.
   */
  async runVectors(inputs: Readonly<Record<string, readonly Value[]>>, mode: VectorMode, opts: RunVectorsOptions = {}): Promise<Record<string, bigint[]>> {
    this.usable();
    if (mode !== 'comb' && mode !== 'clocked') throw new Error(`runVectors: mode must be 'comb' or 'clocked', got '${String(mode)}'`);
    let n = -1;
    const given = new Map<string, readonly Value[]>();
    for (const [name, values] of Object.entries(inputs)) {
      const p = this.port(name, 'input');
      if (n >= 0 && values.length !== n) throw new Error(`runVectors: input '${name}' has ${values.length} values, others ${n}`);
      n = values.length;
      given.set(p.name, values);
    }
    if (n < 0) throw new Error('runVectors: no inputs given (pass at least one input array to set the vector count)');
    if (opts.reset) this.reset(opts.reset);

    const L = this.layout;
    const out: bigint[][] = L.outputs.map(() => new Array<bigint>(n));
    const batch = Math.max(1, Math.min(opts.batchSize ?? Math.floor((256 * 1024) / Math.max(1, L.inRecBytes)), 65536));
    const fills = L.inputs.map((p) => this.staged.get(p.name)!);
    const columns = L.inputs.map((p) => given.get(p.name) ?? null);
    this.flushCommands();
    this.busy = true;
    try {
      let done = 0;
      const waits: Promise<void>[] = [];
      for (let start = 0; start < n; start += batch) {
        const m = Math.min(batch, n - start);
        const buf = Buffer.allocUnsafe(5 + m * L.inRecBytes);
        buf[0] = mode === 'comb' ? OP_VEC_COMB : OP_VEC_CLOCKED;
        buf.writeUInt32LE(m, 1);
        for (let j = 0; j < L.inputs.length; j++) encodeColumn(L.inputs[j], columns[j], fills[j], start, m, buf, 5, L.inRecBytes);
        const dec = new RecordDecoder(L.outputs, L.outRecBytes, out, start);
        const w = this.expect(m * L.outRecBytes, (c) => dec.push(c));
        waits.push(
          w.then(() => {
            done += m;
            opts.onProgress?.(done, n);
          }),
        );
        w.catch(() => {});
        await this.write(buf);
        if (this.dead) break;
        // Keep at most a few batches in flight so memory stays bounded and progress is live.
        if (waits.length > 4) await waits[waits.length - 5];
      }
      await Promise.all(waits);
    } finally {
      this.busy = false;
    }
    if (mode === 'clocked') this.cycle += n;
    for (let j = 0; j < L.inputs.length; j++) {
      const col = columns[j];
      if (col && n > 0) this.staged.set(L.inputs[j].name, this.toStaged(L.inputs[j], col[n - 1]));
    }
    return Object.fromEntries(L.outputs.map((p, j) => [p.name, out[j]]));
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** Ends the harness (finishing the FST, if any). Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      let err: Error | null = null;
      if (!this.dead) {
        this.cmd.u8(OP_QUIT);
        const bye = this.expectBytes(1);
        this.flushCommands();
        try {
          await bye;
        } catch (e) {
          err = e as Error;
        }
        this.stdin.end();
      }
      await this.proc;
      if (err) throw err;
    })();
    return this.closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Kills the harness without finishing the trace. */
  kill(): void {
    this.proc.kill('SIGKILL');
  }

  // ---- internals ----------------------------------------------------------------------------

  private usable(): void {
    if (this.closed) throw new Error('verilator: the simulator is closed');
    if (this.dead) throw this.dead;
    if (this.busy) throw new Error('verilator: runVectors is in progress; await it before using the simulator again');
  }

  private port(name: string, dir?: 'input'): PortLayout {
    const p = this.byName.get(name);
    if (p && (!dir || p.dir === dir)) return p;
    if (this.layout.clocks.includes(name)) throw new Error(`verilator: '${name}' is a clock; the harness drives it (use step)`);
    const list = (dir ? this.layout.inputs : [...this.layout.inputs, ...this.layout.outputs]).map((q) => q.name).join(', ');
    throw new Error(`verilator: '${this.layout.top}' has no ${dir ?? ''}${dir ? ' ' : ''}port '${name}' (${dir ?? 'port'}s: ${list})`);
  }

  private toStaged(p: PortLayout, v: Value): bigint {
    const tmp = new Uint8Array(p.bytes);
    writeValue(p, v, tmp, 0);
    return readValue(p, tmp, 0);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.flushCommands();
    });
  }

  private flushCommands(): void {
    if (this.cmd.len === 0 || this.dead) return;
    this.stdin.write(this.cmd.take());
  }

  private async write(buf: Buffer): Promise<void> {
    if (this.dead) throw this.dead;
    if (this.stdin.write(buf)) return;
    await new Promise<void>((res) => {
      const done = () => {
        this.stdin.off('drain', done);
        this.stdin.off('close', done);
        res();
      };
      this.stdin.on('drain', done);
      this.stdin.on('close', done);
    });
  }

  private expect(bytes: number, sink: (chunk: Buffer) => void): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<void>((resolve, reject) => {
      if (bytes === 0) {
        // Still ordered after earlier replies: resolve when everything before it has arrived.
        const prev = this.pending.at(-1);
        if (!prev) return resolve();
      }
      this.pending.push({ remaining: bytes, sink, resolve, reject });
      if (bytes === 0 && this.pending.length === 1) this.drainZero();
    });
  }

  private expectBytes(bytes: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(bytes);
    let at = 0;
    return this.expect(bytes, (c) => {
      c.copy(buf, at);
      at += c.length;
    }).then(() => buf);
  }

  private drainZero(): void {
    while (this.pending.length && this.pending[0].remaining === 0) this.pending.shift()!.resolve();
  }

  private onData(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const head = this.pending[0];
      if (!head) {
        this.fail(new Error(`verilator: protocol error: ${chunk.length - pos} unexpected bytes from the harness`));
        this.kill();
        return;
      }
      const k = Math.min(head.remaining, chunk.length - pos);
      head.sink(k === chunk.length && pos === 0 ? chunk : chunk.subarray(pos, pos + k));
      head.remaining -= k;
      pos += k;
      if (head.remaining === 0) {
        this.pending.shift();
        head.resolve();
        this.drainZero();
      }
    }
  }

  private onExit(code: number | undefined, signal: string | undefined): void {
    const why = `verilator harness ${this.build.exe} exited (${code !== undefined ? `code ${code}` : `signal ${signal}`})`;
    this.fail(new Error(`${why}${this.stderrTail.trim() ? ': ' + this.stderrTail.trim() : ''}`));
  }

  private fail(e: Error): void {
    this.dead ??= e;
    const all = this.pending.splice(0);
    for (const p of all) p.reject(e);
  }
}
