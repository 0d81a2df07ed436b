#!/usr/bin/env node
'use strict';
// `npm run dev -- <args>`: the CLI straight from the TypeScript sources (ts-node, a development
// dependency), for trying an edit without `npm run build`. It starts a few seconds slower than
// `rmapcheck` (bin/rmapcheck.js, which runs the compiled dist/), and otherwise behaves the same.
const path = require('path');

const root = path.join(__dirname, '..');
require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
require(path.join(root, 'bin', 'rmapcheck.js')).start(path.join(root, 'cli', 'main.ts'));
