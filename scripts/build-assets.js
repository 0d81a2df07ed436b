#!/usr/bin/env node
'use strict';
// After tsc (scripts/build.js runs both): the files the compiled code reads at run time that tsc
// does not emit. checker/trace.ts reads ../schemas/trace.schema.json relative to itself, so the
// schema goes to dist/schemas/; the ESM entry of `rmapcheck/vitest` goes next to its CommonJS core.
// The preset scenarios are JSON modules (tsc emits those), but some are read from disk relative to
// the code (cli/audit.ts: ../scenarios/large-order9.json), so every scenario file is copied.
// A file is copied only when its content changed, to a temporary name and renamed (processes may
// be running dist/ meanwhile); build.js removes the copies whose source is gone (`outputs`).
const fs = require('fs');
const path = require('path');

/** [source, destination] of every asset. */
function pairs(root, dist) {
  const out = [];
  for (const dir of ['schemas', 'scenarios'])
    for (const f of fs.readdirSync(path.join(root, dir), { recursive: true }))
      if (fs.statSync(path.join(root, dir, f)).isFile()) out.push([path.join(root, dir, f), path.join(dist, dir, f)]);
  out.push([path.join(root, 'integrations', 'esm', 'vitest.mjs'), path.join(dist, 'integrations', 'vitest.mjs')]);
  return out;
}

/** The destinations, for build.js's removal of stale files. */
function outputs(root, dist) {
  return pairs(root, dist).map(([, d]) => d);
}

/** Copies every changed asset; returns how many were written. */
function copyAssets(root, dist) {
  let n = 0;
  for (const [src, dest] of pairs(root, dist)) {
    const data = fs.readFileSync(src);
    const old = fs.existsSync(dest) ? fs.readFileSync(dest) : null;
    if (old && old.equals(data)) continue;
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, dest);
    n++;
  }
  return n;
}

/** Throws unless the files the bin and the package's entries need are there. */
function verify(dist) {
  for (const f of ['schemas/trace.schema.json', 'scenarios/livelock.json', 'scenarios/large-order9.json', 'cli/main.js', 'integrations/vitest-core.js', 'integrations/vitest.mjs'])
    if (!fs.existsSync(path.join(dist, f))) throw new Error(`build: dist/${f} is missing`);
}

module.exports = { copyAssets, outputs, verify };

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const dist = path.join(root, 'dist');
  copyAssets(root, dist);
  verify(dist);
}
