/**
 * Compiles a conformance binary: the user's C files (the adapter, which includes their kernel
 * sources) with rmapcheck's kernel-compatibility headers, linked with the runtime
 * (conform/runtime/). The binary is cached by a content hash of every input: the compiler's
 * identity, the flags, and every file the preprocessor reads (from `cc -MM`), so editing any
 * header of the user's tree rebuilds, and an unchanged tree starts at once.
 *
 * A compile or link error of the user's code is bad input: a UsageError with the compiler's
 * first error line (the CLI prints it on one line and exits 2).
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, accessSync, constants } from 'fs';
import { tmpdir } from 'os';
import { basename, dirname, join, resolve } from 'path';
import { UsageError } from '../../model/errors';

export type ConformMode = 'sequential' | 'concurrent';

export interface BuildOptions {
  /** The user's C files (translation units); each may #include further sources. */
  readonly impl: readonly string[];
  /** -I directories, searched before rmapcheck's compatibility headers. */
  readonly includeDirs?: readonly string[];
  /** -D definitions (NAME or NAME=VALUE). */
  readonly defines?: readonly string[];
  /** The C compiler (default `gcc`). */
  readonly cc?: string;
  /** Concurrent mode instruments the user's files with -fsanitize=thread (hooks in the runtime). */
  readonly mode?: ConformMode;
  /** Where binaries are cached (default ./node_modules/.cache/rmapcheck/conform, else the temp dir). */
  readonly cacheDir?: string;
  /** Refuse (SourcesChangedError, before compiling) unless the inputs hash to this (a trace's replay). */
  readonly expectHash?: string;
}

/** One file the user's translation units read, by content. */
export interface BuildInput {
  readonly path: string;
  /** sha256 of the content, hex. */
  readonly sha256: string;
}

/** The inputs hash to something else than expected (BuildOptions.expectHash): other code. */
export class SourcesChangedError extends UsageError {
  constructor(
    readonly expected: string,
    readonly actual: string,
    /** The user's files as they are now. */
    readonly inputs: readonly BuildInput[],
  ) {
    super(`the sources hash to ${actual.slice(0, 12)}, not ${expected.slice(0, 12)}`);
  }
}

export interface ConformBuild {
  readonly binary: string;
  /** sha256 of every input, hex. */
  readonly hash: string;
  readonly cached: boolean;
  readonly cc: string;
  /** The flags every translation unit was compiled with (user files add `userFlags`). */
  readonly flags: readonly string[];
  readonly userFlags: readonly string[];
  readonly impl: readonly string[];
  /** The user's files (everything the preprocessor reads outside rmapcheck's headers), by content. */
  readonly inputs: readonly BuildInput[];
  /** The compiler's warnings (stderr of a successful build), empty when cached. */
  readonly warnings: string;
}

/** The package's conform/ directory (from the sources or from dist/). */
export function conformRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'conform', 'include', 'rmapcheck', 'adapter.h'))) return join(dir, 'conform');
    if (dirname(dir) === dir) throw new Error('[internal bug] conform/ (the C runtime and headers) is missing from the package');
  }
}

/** The project's own kernel-style implementation: its adapter and its include directory. */
export function ownImplementation(): { impl: string; includeDir: string } {
  const root = conformRoot();
  return { impl: join(root, 'kernel', 'adapter.c'), includeDir: join(root, 'kernel', 'include') };
}

/** Kernel-like code generation: wrap-around arithmetic, no type-based aliasing, optimized
 *  (BUILD_BUG() relies on the optimizer removing unreachable branches). */
export const BASE_FLAGS = ['-std=gnu11', '-O2', '-g', '-fno-strict-overflow', '-fno-strict-aliasing', '-fno-common', '-Wall', '-Wno-unused-function'];
/** Concurrent mode: every plain access calls the runtime's __tsan_* hooks; volatile accesses
 *  (the marked ones of the headers) go to __tsan_volatile_*, which the runtime ignores. */
export const TSAN_FLAGS = ['-fsanitize=thread', '--param=tsan-distinguish-volatile=1'];

const RUNTIME_FILES = ['main.c', 'hooks.c', 'sched.c'];

function run(cc: string, args: readonly string[], cwd?: string): { status: number; stdout: string; stderr: string } {
  // LC_ALL=C: ASCII quotes in messages, whatever the user's locale
  const r = spawnSync(cc, args, { encoding: 'utf8', cwd, maxBuffer: 64 << 20, env: { ...process.env, LC_ALL: 'C' } });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `C compiler '${cc}' not found (choose one with --cc)` : `cannot run C compiler '${cc}': ${r.error.message}`);
  }
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The compiler's first error line, e.g. `adapter.c:12:5: error: 'x' undeclared`. */
export function firstErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return lines.find((l) => /\b(error|undefined reference|fatal)\b/i.test(l)) ?? lines[0] ?? '(no message)';
}

/** Files named in `cc -MM` output (make rules, backslash-continued, spaces escaped). */
function dependencies(makeRules: string): string[] {
  const out: string[] = [];
  const text = makeRules.replace(/\\\n/g, ' ');
  for (const line of text.split('\n')) {
    const colon = line.indexOf(': ');
    if (colon < 0) continue;
    for (const m of line.slice(colon + 2).matchAll(/(?:\\ |[^\s])+/g)) out.push(m[0].replace(/\\ /g, ' '));
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** The project's node_modules/.cache (where build tools keep caches), else the temp directory. */
function defaultCacheDir(): string {
  const project = join(process.cwd(), 'node_modules');
  const candidates = [...(existsSync(project) ? [join(project, '.cache', 'rmapcheck', 'conform')] : []), join(tmpdir(), 'rmapcheck-cache', 'conform')];
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
      return dir;
    } catch {
      // not writable here: try the next one
    }
  }
  throw new UsageError(`no writable cache directory for conformance binaries (tried ${candidates.join(', ')})`);
}

export function buildConformBinary(opts: BuildOptions): ConformBuild {
  const cc = opts.cc ?? 'gcc';
  const root = conformRoot();
  if (opts.impl.length === 0) throw new UsageError('conform needs at least one --impl FILE.c');
  const impl = opts.impl.map((f) => {
    const p = resolve(f);
    if (!existsSync(p) || !statSync(p).isFile()) throw new UsageError(`--impl ${f}: no such file`);
    return p;
  });
  for (const d of opts.includeDirs ?? [])
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new UsageError(`-I ${d}: no such directory`);
  const include = join(root, 'include');
  const flags = [...BASE_FLAGS, `-I${include}`];
  const userFlags = [
    ...(opts.mode === 'concurrent' ? TSAN_FLAGS : []),
    ...(opts.defines ?? []).map((d) => `-D${d}`),
    ...(opts.includeDirs ?? []).map((d) => `-I${resolve(d)}`),
    ...flags,
  ];
  const runtime = RUNTIME_FILES.map((f) => join(root, 'runtime', f));

  // every input: the compiler's identity, the flags, every file the preprocessor reads
  const version = run(cc, ['--version']);
  if (version.status !== 0) throw new UsageError(`C compiler '${cc}' does not run: ${firstErrorLine(version.stderr)}`);
  const hash = createHash('sha256');
  hash.update(`${cc}\0${version.stdout}\0${flags.join(' ')}\0${userFlags.join(' ')}\0`);
  // the user's files: what the preprocessor reads; rmapcheck's own: all of conform/include and runtime
  const deps = new Set<string>([...filesUnder(include), ...filesUnder(join(root, 'runtime'))]);
  const mm = run(cc, [...userFlags, '-MM', ...impl]);
  if (mm.status !== 0) throw new UsageError(`compiling ${basename(impl[0])} failed: ${firstErrorLine(mm.stderr)}`);
  const own = new Set(deps);
  for (const d of dependencies(mm.stdout)) deps.add(resolve(d));
  const inputs: BuildInput[] = [];
  for (const d of [...deps].sort()) {
    const content = readFileSync(d);
    hash.update(`${d}\0`).update(content).update('\0');
    if (!own.has(d)) inputs.push({ path: d, sha256: createHash('sha256').update(content).digest('hex') });
  }
  impl.forEach((f, i) => hash.update(`impl${i}\0${f}\0`));
  const digest = hash.digest('hex');
  if (opts.expectHash !== undefined && opts.expectHash !== digest) throw new SourcesChangedError(opts.expectHash, digest, inputs);

  const cache = opts.cacheDir ?? defaultCacheDir();
  const dir = join(cache, digest.slice(0, 24));
  const binary = join(dir, 'rmc-conform');
  const common = { binary, hash: digest, cc, flags, userFlags, impl, inputs };
  if (existsSync(binary)) return { ...common, cached: true, warnings: '' };

  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(cache, 'build-'));
  try {
    let warnings = '';
    const objects: string[] = [];
    const compile = (src: string, f: readonly string[], i: number) => {
      const obj = join(work, `${i}-${basename(src).replace(/\.c$/, '')}.o`);
      const r = run(cc, [...f, '-c', src, '-o', obj]);
      if (r.status !== 0) throw new UsageError(`compiling ${basename(src)} failed: ${firstErrorLine(r.stderr)}`);
      warnings += r.stderr;
      objects.push(obj);
    };
    impl.forEach((src, i) => compile(src, userFlags, i));
    runtime.forEach((src, i) => compile(src, flags, impl.length + i));
    const link = run(cc, [...objects, '-o', join(work, 'rmc-conform')]);
    if (link.status !== 0) throw new UsageError(`linking the conformance binary failed: ${firstErrorLine(link.stderr)}`);
    // publish the whole directory at once: a concurrent build of the same inputs may win
    try {
      renameSync(work, dir);
    } catch (e) {
      if (!existsSync(binary)) throw e;
    }
    return { ...common, cached: false, warnings };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
