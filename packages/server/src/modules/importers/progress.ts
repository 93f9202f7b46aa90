/**
 * A small terminal progress bar: percentage of bytes read, rows per second and
 * ETA, redrawn at most every 100 ms on one line (carriage return). Off a
 * terminal (CI logs, pipes) it prints one line per phase and file instead.
 */
export class ProgressBar {
  private started = Date.now();
  private lastDraw = 0;
  private lastKey = '';

  constructor(
    private out: { write(s: string): unknown; isTTY?: boolean },
    private width = 28,
  ) {}

  update(p: { phase: string; file: string; bytesDone: number; bytesTotal: number; items: number }): void {
    const key = `${p.phase} ${p.file}`;
    if (key !== this.lastKey && p.phase !== this.lastKey.split(' ')[0]) this.started = Date.now();
    const now = Date.now();
    if (!this.out.isTTY) {
      if (key !== this.lastKey) this.out.write(`${p.phase} ${p.file}...\n`);
      this.lastKey = key;
      return;
    }
    this.lastKey = key;
    if (now - this.lastDraw < 100 && p.bytesDone < p.bytesTotal) return;
    this.lastDraw = now;
    this.out.write(`\r${render(p, (now - this.started) / 1000, this.width)}\u001b[K`);
  }

  done(): void {
    if (this.out.isTTY && this.lastKey) this.out.write('\n');
  }
}

export function render(
  p: { phase: string; file: string; bytesDone: number; bytesTotal: number; items: number },
  elapsedSeconds: number,
  width = 28,
): string {
  const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 1;
  const filled = Math.round(frac * width);
  const rate = elapsedSeconds > 0 ? p.items / elapsedSeconds : 0;
  // ETA from the byte rate so far: the remaining bytes at the same speed.
  const eta = frac > 0 && frac < 1 ? (elapsedSeconds * (1 - frac)) / frac : 0;
  return `${p.phase.padEnd(9)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${Math.round(rate)} rows/s  ETA ${formatSeconds(eta)}  ${p.file}`;
}

export function formatSeconds(s: number): string {
  const t = Math.ceil(s);
  return t >= 60 ? `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s` : `${t}s`;
}
