#!/usr/bin/env node
'use strict';
// Runs the compiled CLI in dist/ (never the TypeScript sources: compiling them at every start cost
// seconds). `npm install` in a clone builds dist/ (the `prepare` script), the package ships it;
// `npm run dev -- <args>` runs the sources through ts-node (scripts/dev.js calls `start` below).
// A signal that stops a run (Ctrl-C; SIGTERM, what timeout, Slurm and Kubernetes send; SIGHUP)
// while the code loads is remembered (cli/interrupt.ts takes it over): a long run then stops at
// once and still reports; any other command exits with 128 + the signal's number.
const path = require('path');
const fs = require('fs');

const root = path.join(__dirname, '..');

/** Installs the early signal and pipe handling, loads the CLI from `entry` and runs it. */
function start(entry) {
  const early = { signal: null, handler: null };
  early.handler = (name) => {
    if (early.signal === null) early.signal = name;
  };
  globalThis[Symbol.for('rmapcheck.earlySignal')] = early;
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, early.handler);
  // A reader that went away (`rmapcheck ... | head -1`) ends the run quietly, as SIGPIPE ends a C
  // program: 141 = 128 + SIGPIPE (Node ignores SIGPIPE, so the write fails with EPIPE instead).
  process.stdout.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(141);
    process.stderr.write(`rmapcheck: error: cannot write the output: ${e.code || e.message}\n`);
    process.exit(2);
  });
  process.stderr.on('error', () => {}); // nowhere left to say anything
  if (!fs.existsSync(entry)) {
    // a clone whose `npm install` did not build (or whose dist/ was removed): say what to run
    const where = path.resolve(process.cwd()) === root ? '.' : root;
    process.stderr.write(`rmapcheck: error: ${path.relative(root, entry)} is missing (not built): run \`npm install\` or \`npm run build\` in ${where}\n`);
    process.exitCode = 2;
    return;
  }
  const cli = require(entry);
  // Start on the next turn of the event loop: a signal that came while the code loaded reaches
  // `early.handler` only between turns, and a short command that ran at once would never see it.
  setImmediate(() =>
    cli.main(process.argv.slice(2)).then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        process.stderr.write(`rmapcheck: [internal bug] ${err && err.stack ? err.stack : err}\n`);
        process.exitCode = 70;
      },
    ),
  );
}

module.exports = { start };

if (require.main === module) start(path.join(root, 'dist', 'cli', 'main.js'));
