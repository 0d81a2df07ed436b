/**
 * Ctrl-C, SIGTERM (what `timeout`, Slurm and Kubernetes send) and SIGHUP. A long run (check,
 * explore, audit) takes a `signal` that any of them sets, so the run stops and still prints and
 * saves what it found (verdict `incomplete`). `bin/rmapcheck.js` installs an early handler before
 * the sources load, so a signal during start-up is not lost: a long run then starts already
 * aborted (and reports at once); any other command exits with 128 + the signal's number.
 */

/** The signals that stop a run. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];

/** The shell's exit code for a process ended by the signal: 128 + its number. */
const EXIT_CODE: Record<StopSignal, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** Shared with bin/rmapcheck.js, which may set it before this module is loaded. */
interface EarlySignal {
  signal: StopSignal | null;
  handler: ((name: StopSignal) => void) | null;
}

const KEY = Symbol.for('rmapcheck.earlySignal');

function early(): EarlySignal | undefined {
  return (globalThis as unknown as Record<symbol, EarlySignal | undefined>)[KEY];
}

/** Removes the early handler; returns the signal that came during start-up, if one did. */
function releaseEarly(): StopSignal | null {
  const e = early();
  if (!e) return null;
  if (e.handler) for (const s of STOP_SIGNALS) process.removeListener(s, e.handler);
  e.handler = null;
  return e.signal;
}

/** For a command without a long run: restore the default signals (exit at once if one came already). */
export function plainInterrupt(): void {
  const s = releaseEarly();
  if (s) process.exit(EXIT_CODE[s]);
}

/** Runs `f` with a signal that Ctrl-C, SIGTERM or SIGHUP sets (already set if one came during start-up). */
export async function interruptible<T>(f: (signal: { aborted: boolean }) => Promise<T>): Promise<T> {
  const signal = { aborted: false };
  const onSignal = () => (signal.aborted = true);
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  if (releaseEarly()) signal.aborted = true;
  try {
    return await f(signal);
  } finally {
    for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
  }
}
