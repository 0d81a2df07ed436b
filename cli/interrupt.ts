/**
 * Ctrl-C. A long run (check, explore, audit) takes a `signal` that a SIGINT sets, so the run
 * stops and still prints and saves what it found. `bin/rmapcheck.js` installs an early handler
 * before the sources load, so a Ctrl-C during start-up is not lost: a long run then starts
 * already aborted (and reports at once); any other command exits with 130.
 */

/** Shared with bin/rmapcheck.js, which may set it before this module is loaded. */
interface EarlySigint {
  interrupted: boolean;
  handler: (() => void) | null;
}

const KEY = Symbol.for('rmapcheck.earlySigint');

function early(): EarlySigint | undefined {
  return (globalThis as unknown as Record<symbol, EarlySigint | undefined>)[KEY];
}

function releaseEarly(): boolean {
  const e = early();
  if (!e) return false;
  if (e.handler) process.removeListener('SIGINT', e.handler);
  e.handler = null;
  return e.interrupted;
}

/** For a command without a long run: restore the default Ctrl-C (exit 130 if it came already). */
export function plainInterrupt(): void {
  if (releaseEarly()) process.exit(130);
}

/** Runs `f` with a signal that Ctrl-C sets (already set if Ctrl-C came during start-up). */
export async function interruptible<T>(f: (signal: { aborted: boolean }) => Promise<T>): Promise<T> {
  const signal = { aborted: false };
  const onSigint = () => (signal.aborted = true);
  process.on('SIGINT', onSigint);
  if (releaseEarly()) signal.aborted = true;
  try {
    return await f(signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
