/**
 * Progress of long runs (check, audit, and any command that wants it) on stderr, drawn by
 * `cli-progress`: a bar with ETA when the total is known (`update(text, { value, total })`), a
 * self-overwriting line otherwise. Quiet unless stderr is a terminal; callers also pass
 * `enabled = false` for `--json`. The interface stays `update(text)` / `done()`.
 */
import { SingleBar, Presets } from 'cli-progress';

/** True when progress should be drawn at all: stderr is a terminal (a pipe or a file stays clean). */
export function progressWanted(json: boolean | undefined, stream: NodeJS.WriteStream = process.stderr): boolean {
  return !json && !!stream.isTTY;
}

export class ProgressLine {
  private bar: SingleBar | null = null;
  private withTotal = false;

  constructor(private readonly enabled: boolean = progressWanted(false), private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** Shows `text`; with `count`, a bar of `count.value / count.total` and an ETA. */
  update(text: string, count?: { value: number; total: number }): void {
    if (!this.enabled) return;
    const withTotal = count !== undefined;
    if (this.bar && withTotal !== this.withTotal) this.done();
    if (!this.bar) {
      this.withTotal = withTotal;
      this.bar = new SingleBar(
        {
          stream: this.stream,
          format: withTotal ? '{bar} {value}/{total} | ETA {eta_formatted} | {text}' : '{text}',
          barsize: 24,
          hideCursor: true,
          clearOnComplete: true,
          linewrap: false,
          etaBuffer: 8,
          fps: 5,
        },
        Presets.shades_classic,
      );
      this.bar.start(count?.total ?? 1, count?.value ?? 0, { text });
      return;
    }
    if (count) {
      this.bar.setTotal(count.total);
      this.bar.update(count.value, { text });
    } else this.bar.update(0, { text });
  }

  /** Removes the progress display (the next output starts on a clean line). */
  done(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
