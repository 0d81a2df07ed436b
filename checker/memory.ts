/**
 * The memory bound of a check (`--max-memory`): what the run may allocate for its states, and the
 * default bound, a safe fraction of what this process can get (the machine's memory, a cgroup
 * limit, `ulimit -v`). A structure reserves its bytes here before it allocates or grows, so a
 * run that would pass the bound stops cleanly (verdict `incomplete`) instead of dying in an
 * allocation; the JS heap (the full store's Map, per-state objects, the liveness pass's arrays)
 * is measured, against the bound and against V8's own heap limit, whose breach aborts the
 * process.
 */
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

/** The run cannot get the memory it needs next (the bound, V8's heap limit, or the OS refused). */
export class MemoryExhaustedError extends Error {}

/** Share of the memory this process can use (physical or cgroup) the default bound takes. */
const PHYSICAL_FRACTION = 0.75;
/** Share of the address space left under `ulimit -v` the default bound takes: V8 and malloc map
 *  more address space than they fill. */
const ADDRESS_SPACE_FRACTION = 0.6;
/** The old generation may fill this share of V8's limit for it (near the limit V8 collects
 *  without end, then aborts the process). */
const HEAP_FRACTION = 0.8;
/** V8's default semi-space, MiB: `heap_size_limit` is the old generation's limit plus three of
 *  them (the young generation), unless --max-semi-space-size says otherwise. */
const SEMI_SPACE_MIB = 16;

/** V8's limit of the old generation (node --max-old-space-size): `heap_size_limit` less the
 *  young generation. */
function oldGenerationLimit(): number {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  let semi = SEMI_SPACE_MIB;
  for (const f of flags) {
    const m = /^--max[-_]semi[-_]space[-_]size=(\d+)$/.exec(f);
    if (m) semi = Number(m[1]);
  }
  const limit = getHeapStatistics().heap_size_limit;
  return Math.max(limit / 2, limit - 3 * semi * 2 ** 20);
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** The smallest bound `--max-memory` accepts: a run's fixed structures take about 1.5 MiB. */
export const MIN_MAX_MEMORY = 4 * 2 ** 20;

/** Bytes from `512M`, `4G`, `1.5GiB`, `100000` (binary units, as ulimit and -Xmx read them), or
 *  null when the text is not a size. */
export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return null;
  const v = Number(m[1]) * UNITS[m[2].toLowerCase()];
  return Number.isFinite(v) ? Math.floor(v) : null;
}

/** `1.5 GiB`, `300.0 MiB`, `512 B`. */
export function formatBytes(bytes: number): string {
  if (bytes === Infinity) return 'unbounded';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B` : `${v.toFixed(1)} ${units[u]}`;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The memory cgroup's limit of this process (v2 `memory.max`, v1 `memory.limit_in_bytes`), or
 *  null when there is none (a v1 "no limit" is a huge number: above the machine's memory). */
function cgroupLimit(): number | null {
  const paths = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'];
  const own = readText('/proc/self/cgroup');
  if (own) {
    for (const line of own.split('\n')) {
      const [, controllers, path] = line.split(':');
      if (path === undefined || path === '/') continue;
      if (controllers === '') paths.unshift(`/sys/fs/cgroup${path}/memory.max`);
      else if (controllers.split(',').includes('memory')) paths.unshift(`/sys/fs/cgroup/memory${path}/memory.limit_in_bytes`);
    }
  }
  let best: number | null = null;
  for (const p of paths) {
    const t = readText(p)?.trim();
    if (!t || !/^\d+$/.test(t)) continue;
    const v = Number(t);
    if (best === null || v < best) best = v;
  }
  return best;
}

/** The address space a process may still map under `ulimit -v`: its RLIMIT_AS (soft limit,
 *  from /proc/PID/limits) less what it maps now (VmSize, /proc/PID/status); null when unlimited. */
export function addressSpaceLeftOf(limits: string | null, status: string | null): number | null {
  const m = limits && /^Max address space\s+(\S+)/m.exec(limits);
  if (!m || !/^\d+$/.test(m[1])) return null;
  const vm = status && /^VmSize:\s+(\d+) kB/m.exec(status);
  return Math.max(0, Number(m[1]) - (vm ? Number(vm[1]) * 1024 : 0));
}

export interface MemoryBound {
  readonly bytes: number;
  /** Where the figure comes from, for a person. */
  readonly source: string;
}

/** What limits a process's memory: the machine's, its cgroup's limit, the address space left
 *  under `ulimit -v` (null: no such limit). */
export interface MemoryFacts {
  readonly totalMemory: number;
  readonly cgroupLimit: number | null;
  readonly addressSpaceLeft: number | null;
}

/** The bound for `facts`: the smallest of a fraction of each limit. */
export function memoryBoundOf(facts: MemoryFacts): MemoryBound {
  const total = facts.totalMemory;
  const candidates: MemoryBound[] = [{ bytes: Math.floor(total * PHYSICAL_FRACTION), source: `${PHYSICAL_FRACTION * 100}% of this machine's ${formatBytes(total)}` }];
  const cg = facts.cgroupLimit;
  if (cg !== null && cg < total) candidates.push({ bytes: Math.floor(cg * PHYSICAL_FRACTION), source: `${PHYSICAL_FRACTION * 100}% of the cgroup's limit of ${formatBytes(cg)}` });
  const as = facts.addressSpaceLeft;
  if (as !== null)
    candidates.push({ bytes: Math.floor(as * ADDRESS_SPACE_FRACTION), source: `${ADDRESS_SPACE_FRACTION * 100}% of the ${formatBytes(as)} of address space left under ulimit -v` });
  return candidates.reduce((a, b) => (b.bytes < a.bytes ? b : a));
}

/** The default bound of this process (`memoryBoundOf` its own limits). */
export function defaultMaxMemory(): MemoryBound {
  return memoryBoundOf({
    totalMemory: totalmem(),
    cgroupLimit: cgroupLimit(),
    addressSpaceLeft: addressSpaceLeftOf(readText('/proc/self/limits'), readText('/proc/self/status')),
  });
}

/** Bytes the JS heap's old generation uses (the young one is mostly garbage, collected
 *  within milliseconds, and has its own limit). */
function heapUse(): { old: number } {
  let old = 0;
  for (const s of getHeapSpaceStatistics()) if (s.space_name !== 'new_space' && s.space_name !== 'new_large_object_space') old += s.space_used_size;
  return { old };
}

/**
 * A run's account of memory: typed arrays reserve their bytes before they are allocated, the JS
 * heap's growth since the run began is measured; both together stay within `limit`, and the heap
 * stays below a share of V8's limit.
 */
export class MemoryBudget {
  private reservedBytes = 0;
  private peakBytes = 0;
  private readonly heapBase: number;
  private readonly heapLimit: number;

  constructor(readonly limit: number = Infinity) {
    this.heapBase = heapUse().old;
    this.heapLimit = oldGenerationLimit() * HEAP_FRACTION;
  }

  /** Bytes counted now: the reservations and the heap's growth since the run began. */
  inUse(): number {
    return this.note(this.reservedBytes + Math.max(0, heapUse().old - this.heapBase));
  }

  /** The most bytes counted at once, as last measured (at reservations and heap checks). */
  get peak(): number {
    return this.peakBytes;
  }

  private note(inUse: number): number {
    if (inUse > this.peakBytes) this.peakBytes = inUse;
    return inUse;
  }

  /** Counts `bytes` for `what`, or throws `MemoryExhaustedError` when they do not fit. */
  reserve(bytes: number, what: string): void {
    if (this.limit !== Infinity) {
      const inUse = this.inUse();
      if (inUse + bytes > this.limit)
        throw new MemoryExhaustedError(`${what} needs ${formatBytes(bytes)} more, but ${formatBytes(inUse)} of the ${formatBytes(this.limit)} bound are in use`);
    }
    this.reservedBytes += bytes;
    this.note(this.reservedBytes);
  }

  release(bytes: number): void {
    this.reservedBytes = Math.max(0, this.reservedBytes - bytes);
  }

  /** `make()` with `bytes` reserved for `what`; an allocation the OS or V8 refuses (RangeError)
   *  ends as `MemoryExhaustedError` too. */
  allocate<T>(bytes: number, what: string, make: () => T): T {
    this.reserve(bytes, what);
    try {
      return make();
    } catch (e) {
      this.release(bytes);
      if (e instanceof RangeError) throw new MemoryExhaustedError(`${what}: the allocation of ${formatBytes(bytes)} failed (${e.message})`);
      throw e;
    }
  }

  /** Throws `MemoryExhaustedError` when the JS heap, plus `growth` bytes that a structure of
   *  `what` may add at once soon (an array or Map doubling), passes V8's limit or the bound. */
  checkHeap(what: string, growth = 0): void {
    const h = heapUse();
    if (h.old + growth > this.heapLimit)
      throw new MemoryExhaustedError(
        `${what}: the JS heap holds ${formatBytes(h.old)}${growth > 0 ? ` and may soon need ${formatBytes(growth)} more` : ''}, near V8's heap limit of ${formatBytes(this.heapLimit / HEAP_FRACTION)} (node --max-old-space-size)`,
      );
    const inUse = this.note(this.reservedBytes + Math.max(0, h.old - this.heapBase));
    if (this.limit !== Infinity) {
      if (inUse + growth > this.limit)
        throw new MemoryExhaustedError(`${what}: ${formatBytes(inUse)}${growth > 0 ? ` (and soon ${formatBytes(growth)} more)` : ''} in use, over the ${formatBytes(this.limit)} bound`);
    }
  }
}
