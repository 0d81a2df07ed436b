/**
 * Output files without surprises: a file appears whole or not at all (write to a temporary name
 * in the same directory, then rename), and nothing is overwritten unless the user said --force.
 */
import { existsSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync, readFileSync } from 'fs';
import { dirname, basename, join } from 'path';
import { serializeTrace, type Trace } from '../checker/trace';
import { UsageError } from '../model/errors';

/** Makes sure `dir` is a directory (creating it), or throws a UsageError if it is something else. */
export function ensureOutDir(dir: string): string {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`output directory ${dir} exists and is not a directory`);
  } else {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new UsageError(`cannot create output directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return dir;
}

/**
 * Writes `text` to `path` atomically; refuses to replace an existing file with different content
 * unless `force` (rewriting identical content is a no-op, so deterministic reruns need no --force).
 */
export function writeFileAtomic(path: string, text: string, force: boolean): void {
  if (existsSync(path)) {
    if (statSync(path).isFile() && readFileSync(path, 'utf8') === text) return;
    if (!force) throw new UsageError(`${path} already exists with other content (use --force to overwrite)`);
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
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

/** One file name from `parts`: joined with '-', anything but letters, digits and `._+-` made `_`. */
export function fileName(parts: readonly string[], extension = '.json'): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9._+-]+/g, '_')).join('-') + extension;
}

/** Writes a trace as `dir/name` (the directory created if needed); returns the path. */
export function writeTrace(dir: string, name: string, trace: Trace, force: boolean): string {
  ensureOutDir(dir);
  const path = join(dir, name);
  writeFileAtomic(path, serializeTrace(trace), force);
  return path;
}
