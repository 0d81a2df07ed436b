/**
 * What the terminal allows: the width to fit tables into and whether to colour. Piped output
 * (not a TTY) gets full-width tables and no colour; NO_COLOR (https://no-color.org) switches
 * colour off on a terminal too.
 */

/** Columns to fit into, or undefined (full width) when the stream is not a terminal. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number | undefined {
  return stream.isTTY && stream.columns ? stream.columns : undefined;
}

/** Colour only on a terminal, and never with NO_COLOR set (to any non-empty value). */
export function useColour(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return !!stream.isTTY && !env.NO_COLOR;
}

const CODES = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;

/** `text` in a colour when `on`, unchanged otherwise. */
export function paint(on: boolean, colour: keyof typeof CODES, text: string): string {
  return on ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
}
