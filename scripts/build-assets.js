#!/usr/bin/env node
'use strict';
// After `tsc -p tsconfig.build.json`: the files the compiled code reads at run time that tsc does
// not emit. checker/trace.ts reads ../schemas/trace.schema.json relative to itself, so the schema
// goes to dist/schemas/; the ESM entry of `rmapcheck/vitest` goes next to its CommonJS core.
// The preset scenarios are JSON modules (tsc emits those), but some are read from disk relative to
// the code (cli/audit.ts: ../scenarios/large-order9.json), so every scenario file is copied.
const fs = require('fs');
const path = require('path');
const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
fs.cpSync(path.join(root, 'schemas'), path.join(dist, 'schemas'), { recursive: true });
fs.cpSync(path.join(root, 'scenarios'), path.join(dist, 'scenarios'), { recursive: true });
fs.copyFileSync(path.join(root, 'integrations', 'esm', 'vitest.mjs'), path.join(dist, 'integrations', 'vitest.mjs'));
for (const f of ['schemas/trace.schema.json', 'scenarios/livelock.json', 'scenarios/large-order9.json', 'cli/main.js', 'integrations/vitest-core.js', 'integrations/vitest.mjs'])
  if (!fs.existsSync(path.join(dist, f))) throw new Error(`build: dist/${f} is missing`);
