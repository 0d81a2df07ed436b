/**
 * One self-overwriting progress line on stderr, used only when stderr is a terminal and the
 * output is not --json (the caller decides).
 */
export class ProgressLine {
  private shown = false;

  update(text: string): void {
    const width = process.stderr.columns ?? 100;
    process.stderr.write(`\r${text.slice(0, width - 1).padEnd(Math.min(width - 1, this.shown ? width - 1 : text.length))}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) process.stderr.write('\n');
    this.shown = false;
  }
}
