import cliProgress from 'cli-progress';

/**
 * Progress of a long vector run: a cli-progress bar (vectors done, rate, ETA) on stderr when it is
 * a TTY, and a one-line summary at the end (vectors, seconds, vectors/s).
 */
export class VectorProgress {
  private readonly bar: cliProgress.SingleBar | null;
  private readonly t0 = performance.now();
  private done = 0;
  private lastDraw = 0;

  constructor(
    readonly label: string,
    readonly total: number,
    opts: { enabled?: boolean; stream?: NodeJS.WriteStream } = {},
  ) {
    const stream = opts.stream ?? process.stderr;
    const enabled = opts.enabled ?? Boolean(stream.isTTY);
    if (enabled && total > 0) {
      this.bar = new cliProgress.SingleBar(
        {
          format: `${label} [{bar}] {percentage}% | {value}/{total} vectors | {rate} vec/s | ETA {eta_formatted}`,
          stream,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
          fps: 10,
          noTTYOutput: opts.enabled === true && !stream.isTTY,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, { rate: '-' });
    } else this.bar = null;
  }

  update(done: number): void {
    this.done = done;
    if (!this.bar) return;
    const now = performance.now();
    if (now - this.lastDraw < 50 && done < this.total) return;
    this.lastDraw = now;
    this.bar.update(done, { rate: formatRate(done / Math.max(1e-9, (now - this.t0) / 1000)) });
  }

  get seconds(): number {
    return (performance.now() - this.t0) / 1000;
  }

  /** Stops the bar and returns the summary line (of `count` vectors, default: the last update). */
  stop(count = this.done): { seconds: number; rate: number; summary: string } {
    this.bar?.stop();
    this.done = count;
    const seconds = this.seconds;
    const rate = this.done / Math.max(1e-9, seconds);
    return { seconds, rate, summary: `${this.label}: ${this.done} vectors in ${seconds.toFixed(2)} s (${formatRate(rate)} vectors/s)` };
  }
}

export function formatRate(rate: number): string {
  return Math.round(rate).toLocaleString('en-US');
}
