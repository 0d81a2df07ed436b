#!/usr/bin/env node
'use strict';
// Runs the TypeScript sources through ts-node in a checkout, or the compiled dist/ in a package.
// A signal that stops a run (Ctrl-C; SIGTERM, what timeout, Slurm and Kubernetes send; SIGHUP)
// while the sources load is remembered (cli/interrupt.ts takes it over): a long run then stops at
// once and still reports; any other command exits with 128 + the signal's number.
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
const path = require('path');
const fs = require('fs');
const root = path.join(__dirname, '..');
let cli;
if (fs.existsSync(path.join(root, 'cli', 'main.ts'))) {
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  cli = require(path.join(root, 'cli', 'main.ts'));
} else {
  cli = require(path.join(root, 'dist', 'cli', 'main.js'));
}
// Start on the next turn of the event loop: a signal that came while the sources loaded reaches
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
