#!/usr/bin/env node
'use strict';
// Runs the TypeScript sources through ts-node in a checkout, or the compiled dist/ in a package.
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
