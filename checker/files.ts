/**
 * Output files without surprises: a file appears whole or not at all (write to a temporary name
 * in the same directory, then rename), and nothing is overwritten unless the user said --force.
 * Every output location is checked before the work (checkOutDir, checkOutputFile), so a long run
 * does not end in "cannot write"; and a result that still cannot be written (a trace file with
 * other content in the way, a full disk) is reported, not lost: saveTrace and writeAllOrNone
 * return the error, the command prints its verdict all the same and exits 2 (cli/files.ts).
 * Used by the CLI and by the vitest integration (integrations/), which writes traces too.
 */
import { existsSync, mkdirSync, renameSync, statSync, statfsSync, unlinkSync, writeFileSync, readFileSync, realpathSync, type Stats } from 'fs';
import { dirname, basename, join, resolve } from 'path';
import { serializeTrace, type Trace } from './trace';
import { UsageError } from '../model/errors';

/**
 * The kernel's own filesystems (statfs f_type, linux/magic.h): no files can be made there, and
 * Node's recursive mkdir under /proc never returns (it retries ENOENT forever).
 */
const PSEUDO_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0x62656570, 'configfs'],
  [0x1cd1, 'devpts'],
]);

/** The pseudo filesystem `dir` (an existing directory) is on, or null. */
function pseudoFilesystem(dir: string): string | null {
  if (process.platform !== 'linux') return null;
  let real = dir;
  try {
    real = realpathSync(dir);
    const name = PSEUDO_FILESYSTEMS.get(statfsSync(real).type);
    if (name) return name;
  } catch {
    // no statfs here: the path alone decides
  }
  const top = /^\/(proc|sys)(\/|$)/.exec(real);
  return top ? (top[1] === 'sys' ? 'sysfs' : 'proc') : null;
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/**
 * Checks, without creating anything and without waiting on anything, that `dir` is or can become
 * a writable directory: its nearest existing ancestor is a directory (not a file in the way), not
 * on a pseudo filesystem (/proc, /sys, ...), and takes a new file (a probe, created and removed
 * at once: this catches a read-only filesystem or missing permission, which `access` misses for
 * root). Throws a one-line UsageError otherwise.
 */
export function checkOutDir(dir: string): void {
  const target = resolve(dir);
  let existing = target;
  let st: Stats | undefined;
  for (;;) {
    try {
      st = statSync(existing);
      break;
    } catch (e) {
      const code = errorCode(e);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(existing) === existing)
        throw new UsageError(`cannot use output directory ${dir}: ${code}`);
      existing = dirname(existing);
    }
  }
  if (!st.isDirectory())
    throw new UsageError(existing === target ? `output directory ${dir} exists and is not a directory` : `cannot create output directory ${dir}: ${existing} is a file, not a directory`);
  const verb = existing === target ? 'write to' : 'create';
  const pseudo = pseudoFilesystem(existing);
  if (pseudo) throw new UsageError(`cannot ${verb} output directory ${dir}: ${existing} is on the kernel's ${pseudo} filesystem, which holds no files`);
  const probe = join(existing, `.rmapcheck-probe-${process.pid}.tmp`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (e) {
    throw new UsageError(`cannot ${verb} output directory ${dir}: ${existing} takes no new file (${errorCode(e)})`);
  }
}

/**
 * Makes sure `dir` is a directory (creating it and its missing parents), or throws a UsageError:
 * checkOutDir first, then one plain mkdir per missing level (never a recursive mkdir, see above).
 */
export function ensureOutDir(dir: string): string {
  checkOutDir(dir);
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      if (errorCode(e) !== 'EEXIST') throw new UsageError(`cannot create output directory ${dir}: ${errorCode(e)}`);
    }
  }
  return dir;
}

/**
 * Writes `text` to `path` atomically; refuses to replace an existing file with different content
 * unless `force` (rewriting identical content is a no-op, so deterministic reruns need no --force).
 */
export function writeFileAtomic(path: string, text: string, force: boolean): void {
  if (holds(path, text)) return;
  const conflict = writeConflict(path, text, force);
  if (conflict) throw new UsageError(conflict);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * Checks, before the work, that `out` can be the output file of a command that reads `inputs`:
 * in an existing directory that takes new files (checkOutDir), not a directory, and not one of
 * the inputs under another spelling, a symlink or a hard link (compared as files, by device and
 * inode).
 */
export function checkOutputFile(out: string, inputs: readonly string[] = []): void {
  const dir = dirname(resolve(out));
  if (!existsSync(dir)) throw new UsageError(`cannot write ${out}: ENOENT`); // as writeFileAtomic would say, but before the work
  checkOutDir(dir);
  let target: Stats;
  try {
    target = statSync(out);
  } catch {
    return; // nothing there yet
  }
  if (target.isDirectory()) throw new UsageError(`--out ${out} is a directory; give the path of a file`);
  for (const input of inputs) {
    const s = statSync(input, { throwIfNoEntry: false });
    if (s && s.dev === target.dev && s.ino === target.ino) throw new UsageError(`--out ${out} is the input ${input} itself; give another file`);
  }
}

/** Reads a user-given file, with a one-line error if it cannot be read. */
export function readUserFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? (e as Error).message}`);
  }
}

/** Writes a trace as `dir/name` (the directory created if needed); returns the path. */
export function writeTrace(dir: string, name: string, trace: Trace, force: boolean): string {
  ensureOutDir(dir);
  const path = join(dir, name);
  writeFileAtomic(path, serializeTrace(trace), force);
  return path;
}

/**
 * Why `text` cannot be written to `path`, or null when it can: an existing directory there, or a
 * file with other content and no `force` (the same content is no conflict: a rerun rewrites it).
 */
export function writeConflict(path: string, text: string, force: boolean): string | null {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return null;
  if (st.isDirectory()) return `cannot write ${path}: it is a directory`;
  if (force || holds(path, text)) return null;
  return `${path} already exists with other content (use --force to overwrite)`;
}

/** `path` is a file with exactly `text` in it. */
function holds(path: string, text: string): boolean {
  return !!statSync(path, { throwIfNoEntry: false })?.isFile() && readFileSync(path, 'utf8') === text;
}

/**
 * Writes every file, or none of them when any would conflict (writeConflict): a command whose
 * files are known only after its work writes nothing until all are known, then checks them all.
 * Returns the paths written and the errors (a conflict, or a write that failed all the same).
 */
export function writeAllOrNone(files: readonly { path: string; text: string }[], force: boolean): { written: Set<string>; errors: string[] } {
  const written = new Set<string>();
  const conflicts = files.map((f) => writeConflict(f.path, f.text, force)).filter((c): c is string => c !== null);
  if (conflicts.length > 0) return { written, errors: conflicts };
  const errors: string[] = [];
  for (const f of files) {
    try {
      ensureOutDir(dirname(f.path));
      writeFileAtomic(f.path, f.text, force);
      written.add(f.path);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      errors.push(e.message);
    }
  }
  return { written, errors };
}

/**
 * writeTrace that does not throw when the file cannot be written: returns the path written, or
 * null with the error (which names the path tried) pushed onto `writeErrors`. The caller still
 * reports its verdict, shows the error in place of the replay line and exits 2 (exitCodeWith).
 */
export function saveTrace(dir: string, name: string, trace: Trace, force: boolean, writeErrors: string[]): string | null {
  try {
    return writeTrace(dir, name, trace, force);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    writeErrors.push(e.message);
    return null;
  }
}
