/**
 * Command lines the CLI prints for a person to paste (`replay:`, `repeat:`): every argument is
 * quoted for the shell (POSIX single quotes; bash/zsh `$'...'` for an argument with a line break)
 * so that a path with spaces or non-ASCII letters, or an inline JSON scenario, arrives as the one
 * argument it was.
 */

/** Characters no POSIX shell treats specially (a leading `=` or `~` is, in zsh / in any shell). */
const PLAIN = /^[A-Za-z0-9_./:@%+,-][A-Za-z0-9_./:=@%+,-]*$/;

/** The shell form of a command, on one line: its arguments joined by spaces, each quoted when it
 *  must be. */
export function shellCommand(args: readonly string[]): string {
  return args.map(quote).join(' ');
}

/** Inside $'...': these by name, other control characters as \xHH. */
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\t': '\\t', '\r': '\\r' };

function quote(a: string): string {
  if (PLAIN.test(a)) return a;
  // a newline or another control character (a JSON scenario pasted with its line breaks): bash's
  // and zsh's $'...', so that the command stays one line
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(a))
    return `$'${a.replace(/[\\'\x00-\x1f\x7f]/g, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
  // single quotes keep everything literal; a single quote itself is closed, escaped, reopened
  return `'${a.replace(/'/g, `'\\''`)}'`;
}

/** The `replay:` line printed under a written trace (explore, check, minimize, prove). */
export function replayLine(trace: string): string {
  return `replay: npx ${shellCommand(['rmapcheck', 'replay', trace])}`;
}
