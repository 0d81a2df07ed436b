#!/usr/bin/env node
'use strict';
// Runs the TypeScript sources through ts-node in a checkout, or the compiled dist/ in a package.
// Ctrl-C while the sources load is remembered (cli/interrupt.ts takes it over): a long run then
// stops at once and still reports; any other command exits with 130.
const early = { interrupted: false, handler: null };
early.handler = () => {
  early.interrupted = true;
};
globalThis[Symbol.for('rmapcheck.earlySigint')] = early;
process.on('SIGINT', early.handler);
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
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`rmapcheck: [internal bug] ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 70;
  },
);
