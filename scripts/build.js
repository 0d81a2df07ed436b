#!/usr/bin/env node
'use strict';
// `npm run build`: compiles the sources to dist/, which is all that bin/rmapcheck.js and the
// package run. It is run by `prepare` (so by `npm install` and `npm ci` in a clone, and by
// `npm pack`) and before every vitest run (scripts/vitest-build.mjs), since many tests spawn the
// bin. Hence it must be fast when little changed and safe while other processes run dist/:
//
// - incremental (tsc --build semantics, dist/.tsbuildinfo): nothing changed costs a time-stamp
//   check, one changed file re-emits that file (and those whose declarations depend on it);
// - every file is written to a temporary name and renamed, and not at all when its content is the
//   same, so a process loading dist/ never reads a half-written module;
// - no stale code: a dist/ file that no source (or asset) produces any more (a deleted or renamed
//   source) is removed, and a missing output (a file deleted by hand) forces a full rebuild, which
//   tsc --build alone would not notice;
// - then scripts/build-assets.js copies what tsc does not emit.
//
// Type errors fail the build (exit 1, tsc's messages). `--allow-type-errors` (the tests' set-up)
// only warns when tsc could still emit: `npm test` type-checks first anyway, and a single test
// file run while another file is half-edited should not fail for it.
const fs = require('fs');
const path = require('path');
const ts = require('typescript');
const assets = require('./build-assets');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const configPath = path.join(root, 'tsconfig.build.json');

function fail(message) {
  process.stderr.write(`build: ${message}\n`);
  process.exit(1);
}

/** The parsed build configuration: its sources and the files tsc makes of each. */
function parseConfig() {
  const diagnostics = [];
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => diagnostics.push(d) };
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, host);
  if (!parsed || diagnostics.length || parsed.errors.length) fail(format([...diagnostics, ...(parsed ? parsed.errors : [])]));
  const outputs = new Set();
  for (const f of parsed.fileNames) for (const o of ts.getOutputFileNames(parsed, f, false)) outputs.add(path.resolve(o));
  const buildInfo = path.resolve(parsed.options.tsBuildInfoFile);
  return { parsed, outputs, buildInfo };
}

function format(diagnostics) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  return (process.stderr.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics)(diagnostics, host).trimEnd();
}

/** Writes `data` to `file` unless it holds exactly that already; atomically (temporary + rename). */
function writeIfChanged(file, data) {
  try {
    if (fs.readFileSync(file, 'utf8') === data) return false;
  } catch {
    // not there yet
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
  return true;
}

/** Removes every file under dist/ that is not in `keep` (and directories left empty). */
function prune(dir, keep, removed) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      prune(p, keep, removed);
      try {
        fs.rmdirSync(p); // only if empty
      } catch {
        // not empty (or made again meanwhile)
      }
    } else if (!keep.has(p) && !/\.\d+\.tmp$/.test(e.name)) {
      // (another build's temporary file is its own to rename)
      fs.rmSync(p, { force: true });
      removed.push(path.relative(root, p));
    }
  }
}

function build({ allowTypeErrors = false } = {}) {
  const started = Date.now();
  const { outputs, buildInfo } = parseConfig();
  // tsc --build trusts its build info and never looks for missing outputs: a full build then
  if ([...outputs].some((o) => !fs.existsSync(o))) fs.rmSync(buildInfo, { force: true });

  const written = [];
  const diagnostics = [];
  const sys = {
    ...ts.sys,
    writeFile(file, data) {
      if (writeIfChanged(path.resolve(file), data)) written.push(file);
    },
  };
  const host = ts.createSolutionBuilderHost(sys, undefined, (d) => diagnostics.push(d), () => {});
  const status = ts.createSolutionBuilder(host, [configPath], {}).build();
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  // tsc still emits on type errors (noEmitOnError is off; --build then says "outputs skipped"
  // all the same), not when the configuration is broken; missing outputs are caught below
  const emitted = status !== ts.ExitStatus.InvalidProject_OutputsSkipped && status !== ts.ExitStatus.ProjectReferenceCycle_OutputsSkipped;
  if (errors.length && (!allowTypeErrors || !emitted)) fail(`tsc -p tsconfig.build.json failed:\n${format(diagnostics)}`);
  if (errors.length) process.stderr.write(`build: warning: dist/ built despite ${errors.length} type error(s) (npm run typecheck shows them); first:\n${format(errors.slice(0, 1))}\n`);

  const copied = assets.copyAssets(root, dist);
  const removed = [];
  // the sources as they are now (not as when tsc began: another build may have emitted a new one)
  const now = parseConfig().outputs;
  prune(dist, new Set([...now, ...outputs, buildInfo, ...assets.outputs(root, dist)]), removed);
  const missing = [...outputs].filter((o) => !fs.existsSync(o));
  if (missing.length) fail(`tsc did not emit ${missing.length} file(s), e.g. ${path.relative(root, missing[0])}`);
  assets.verify(dist);
  return { seconds: (Date.now() - started) / 1000, written: written.length + copied, removed };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--allow-type-errors' && a !== '--quiet');
  if (unknown.length) fail(`unknown option ${unknown[0]} (options: --allow-type-errors, --quiet)`);
  const r = build({ allowTypeErrors: args.includes('--allow-type-errors') });
  const changed = r.written > 0 || r.removed.length > 0;
  if (changed || !args.includes('--quiet'))
    process.stdout.write(
      `build: dist/ ${changed ? `updated (${r.written} file(s) written${r.removed.length ? `, ${r.removed.length} stale removed: ${r.removed.slice(0, 3).join(', ')}${r.removed.length > 3 ? ', ...' : ''}` : ''})` : 'up to date'} in ${r.seconds.toFixed(1)} s\n`,
    );
}
