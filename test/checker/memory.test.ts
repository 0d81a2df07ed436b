/**
 * Memory of `check` (issue #9 items 2, 27, 25): a run that cannot get memory stops with verdict
 * `incomplete`, its figures and advice (never a RangeError or a V8 abort); `--max-memory` bounds
 * it; `--expect-states` fits in the bound or is refused, and costs nothing until states arrive;
 * `bytes/state` excludes the store's fixed cost, which is reported apart.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir, totalmem } from 'os';
import { join } from 'path';
import { ROOT, runCli } from '../helpers/cli';
import { addressSpaceLeftOf, memoryBoundOf, parseByteSize, defaultMaxMemory, MemoryBudget, MemoryExhaustedError } from '../../checker/memory';
import { FingerprintSet } from '../../checker/visited';
import { FlatFrontier } from '../../checker/flat-frontier';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'rmapcheck-memory-'));
}

const MiB = 2 ** 20;
/** A configuration far beyond any test's memory (1.4 billion states with the reduction). */
const HUGE = ['--model', 'seqcount', '--set', 'writers=4', '--set', 'readers=2', '--set', 'counters=3'];
/** 605,987 states, ~10 MB at 16 bytes a state plus its BFS frontier. */
const MEDIUM = ['--model', 'seqcount', '--set', 'writers=3', '--set', 'readers=2', '--set', 'counters=2'];

describe('check: out of memory is a clean incomplete result', () => {
  it('a small --max-memory stops the run as incomplete, with its figures, the reason and what to try', async () => {
    const j = await runCli('check', ...MEDIUM, '--max-memory', '8M', '--json', '--out', tmp());
    expect(j.code).toBe(0);
    const r = JSON.parse(j.out);
    expect(r.verdict).toBe('incomplete');
    expect(r.memoryExhausted).toBe(true);
    expect(r.incompleteReason).toMatch(/^memory: .*8\.0 MiB bound/);
    expect([r.maxMemory, r.maxMemorySource]).toEqual([8 * MiB, '--max-memory']);
    expect(r.states).toBeGreaterThan(1000);
    expect(r.states).toBeLessThan(605_987);
    // the JS heap is measured, not reserved: it may pass the bound by what it grows between checks
    // (in a busy test worker, other garbage too)
    expect(r.peakMemoryBytes).toBeLessThanOrEqual(10 * MiB);
    expect([r.safetyComplete, r.incompletePhase, r.liveness]).toEqual([false, 'safety', null]);

    const t = await runCli('check', ...MEDIUM, '--max-memory', '8M', '--out', tmp());
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^incomplete \(out of memory\) /m);
    expect(t.out).toMatch(/^incomplete: memory ran out during the safety pass: .*no violation found in the [\d,]+ states explored\.$/m);
    const advice = t.out.split('\n').find((l) => l.startsWith('to go further, try: '));
    expect(advice).toBeDefined();
    for (const tip of ['--expect-states N', '--links-on-disk', '--strategy dfs', 'a smaller bound (--max-states N, --max-depth N, or smaller --set values)', 'a larger --max-memory'])
      expect(advice).toContain(tip);
    expect(advice).not.toContain('--store fingerprint'); // already the store
  });

  it('the full store (JS heap) respects --max-memory too; the advice names --store fingerprint', async () => {
    const t = await runCli('check', ...MEDIUM, '--store', 'full', '--strategy', 'dfs', '--max-memory', '24M', '--out', tmp());
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^incomplete \(out of memory\) /m);
    const advice = t.out.split('\n').find((l) => l.startsWith('to go further, try: '))!;
    expect(advice).toContain('--store fingerprint');
    expect(advice).not.toContain('--strategy dfs'); // already DFS
    expect(advice).not.toContain('--links-on-disk'); // fingerprint-store options only with that store
  });

  it('the liveness graph counts against the bound: the pass that records it stops there, and --no-liveness is offered', async () => {
    // the store and the graph of the unreduced space (1,199,116 states) pass 48 MiB; without the
    // graph, with the reduction (605,987 states), the same bound suffices
    const j = await runCli('check', ...MEDIUM, '--strategy', 'dfs', '--expect-states', '1200000', '--max-memory', '48M', '--json', '--out', tmp());
    expect(j.code).toBe(0);
    const r = JSON.parse(j.out);
    expect([r.verdict, r.memoryExhausted, r.safetyComplete, r.incompletePhase, r.liveness]).toEqual(['incomplete', true, false, 'safety', null]);
    // which structure asks last depends on the order of growth: the graph, the table or the links
    expect(r.incompleteReason).toMatch(/^memory: the (liveness graph|counterexample links|fingerprint table)/);
    const t = await runCli('check', ...MEDIUM, '--strategy', 'dfs', '--expect-states', '1200000', '--max-memory', '48M', '--out', tmp());
    expect(t.out).toMatch(/^to go further, try: .*--no-liveness \(no graph recorded for the eventually properties; the symmetry reduction applies\)/m);
    const safety = JSON.parse((await runCli('check', ...MEDIUM, '--strategy', 'dfs', '--expect-states', '1200000', '--max-memory', '48M', '--no-liveness', '--json', '--out', tmp())).out);
    expect([safety.verdict, safety.states, safety.liveness]).toEqual(['ok', 605_987, null]);
  });

  it('V8 heap limit, real process: --store full under --max-old-space-size stops as incomplete, not exit 134', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'rmapcheck.js'), 'check', ...HUGE, '--store', 'full', '--json', '--out', tmp()], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 110_000,
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=160' },
    });
    expect(r.stderr).not.toMatch(/FATAL ERROR|heap out of memory|internal bug/);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect([j.verdict, j.memoryExhausted]).toEqual(['incomplete', true]);
    expect(j.incompleteReason).toMatch(/^memory: .*V8's heap limit of 160\.0 MiB/);
    expect(j.states).toBeGreaterThan(0);
  });

  it('ulimit -v, real process: the default bound comes from the address space left, and the run stops within it', () => {
    // the reproduction with a smaller limit: a plain node's address space plus ~750 MB
    // (the sources and ~400 MB to spare), so that the bound is a few hundred MB
    const plain = Number(/VmSize:\s+(\d+) kB/.exec(spawnSync(process.execPath, ['-e', 'process.stdout.write(require("fs").readFileSync("/proc/self/status","utf8"))'], { encoding: 'utf8' }).stdout)![1]);
    const limitKb = plain + 754_000;
    const script = `ulimit -v ${limitKb} && exec "${process.execPath}" "${join(ROOT, 'bin', 'rmapcheck.js')}" check ${HUGE.join(' ')} --json --out "${tmp()}"`;
    const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', timeout: 110_000 });
    expect(r.stderr).not.toMatch(/RangeError|FATAL ERROR|internal bug/);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect([j.verdict, j.memoryExhausted]).toEqual(['incomplete', true]);
    expect(j.maxMemorySource).toMatch(/of address space left under ulimit -v$/);
    expect(j.maxMemory).toBeLessThan(limitKb * 1024);
    expect(j.peakMemoryBytes).toBeLessThanOrEqual(j.maxMemory * 1.05); // (the heap: measured between checks)
  });

  it('structures reserve before they grow: the table, the frontier and the links end as MemoryExhaustedError', () => {
    // (the budget counts the heap's growth too: room for a busy worker's garbage besides the
    // 50,000 states, so that the structures, not the heap, are what ask last)
    const budget = new MemoryBudget(6 * MiB);
    const set = new FingerprintSet({ budget });
    // (bounded loops: a store that ignored the budget would fail here, not run on)
    expect(() => {
      for (let i = 0; i < 1_000_000; i++) set.insertFingerprint(Math.imul(i, 2654435761) >>> 0, Math.imul(i ^ 0x5bd1e995, 1597334677) >>> 0, i - 1, 0);
    }).toThrow(MemoryExhaustedError);
    expect(set.size).toBeGreaterThan(50_000);
    const frontier = new FlatFrontier(8, new MemoryBudget(2 * MiB));
    expect(() => {
      for (let i = 0; i < 200_000; i++) frontier.push();
    }).toThrow(/the frontier \([\d,]+ states queued\) needs/);
    expect(frontier.size).toBeGreaterThan(10_000);
    // what the set held is given back to the budget when it closes
    const before = budget.inUse();
    set.close();
    expect(budget.inUse()).toBeLessThan(before - MiB);
  });
});

describe('--max-memory and the default bound', () => {
  it('sizes: bytes or K/M/G/T (binary); bad ones are one-line usage errors', async () => {
    expect(parseByteSize('512M')).toBe(512 * MiB);
    expect(parseByteSize('4G')).toBe(4 * 2 ** 30);
    expect(parseByteSize('1.5g')).toBe(1.5 * 2 ** 30);
    expect(parseByteSize('2KiB')).toBe(2048);
    expect(parseByteSize('100000')).toBe(100000);
    expect(parseByteSize('3 GB')).toBe(3 * 2 ** 30);
    for (const bad of ['12X', '1.5.5', '-5', 'M', '']) expect(parseByteSize(bad)).toBeNull();
    for (const [arg, msg] of [['12X', 'not a size'], ['-5', 'not a size'], ['100K', 'below the 4.0 MiB'], ['0', 'below the 4.0 MiB']]) {
      const r = await runCli('check', '--model', 'seqcount', '--max-memory', arg);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`^rmapcheck: error: --max-memory ${arg}: ${msg}[^\\n]*\\n$`));
    }
  });

  it('the default is the smallest of 75% of the memory, 75% of a cgroup limit, 60% of the address space left', () => {
    const G = 2 ** 30;
    expect(memoryBoundOf({ totalMemory: 16 * G, cgroupLimit: null, addressSpaceLeft: null })).toEqual({ bytes: 12 * G, source: "75% of this machine's 16.0 GiB" });
    expect(memoryBoundOf({ totalMemory: 16 * G, cgroupLimit: 4 * G, addressSpaceLeft: null }).bytes).toBe(3 * G);
    expect(memoryBoundOf({ totalMemory: 16 * G, cgroupLimit: 4 * G, addressSpaceLeft: 2 * G }).source).toMatch(/^60% of the 2\.0 GiB of address space left under ulimit -v$/);
    // cgroup v1 says "no limit" with a huge number: the machine's memory counts
    expect(memoryBoundOf({ totalMemory: 16 * G, cgroupLimit: 9223372036854771712, addressSpaceLeft: null }).bytes).toBe(12 * G);
    // /proc/PID/limits and status, as `ulimit -v 3000000` leaves them
    const limits = 'Limit                     Soft Limit           Hard Limit           Units     \nMax address space         3072000000           3072000000           bytes     \n';
    expect(addressSpaceLeftOf(limits, 'Name:\tnode\nVmSize:\t 1000000 kB\n')).toBe(3072000000 - 1024000000);
    expect(addressSpaceLeftOf(limits.replace(/3072000000/g, 'unlimited'), 'VmSize:\t 1000000 kB\n')).toBeNull();
    // this process: at most 75% of the machine
    expect(defaultMaxMemory().bytes).toBeLessThanOrEqual(0.75 * totalmem());
  });

  it('--expect-states beyond the bound is refused with what it needs and the bound; within it, the run proceeds', async () => {
    const r = await runCli('check', '--model', 'seqcount', '--expect-states', '1000000000', '--max-memory', '1G', '--out', tmp());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^rmapcheck: error: --expect-states 1000000000: a fingerprint table for that many states needs 14\.9 GiB, over the memory bound of 1\.0 GiB \(--max-memory\)[^\n]*\n$/);
    const ok = await runCli('check', '--model', 'seqcount', '--expect-states', '100000', '--max-memory', '8M', '--json', '--out', tmp());
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ verdict: 'ok', states: 297, memoryExhausted: false });
  });
});

describe('--expect-states costs nothing until the states come (item 27)', () => {
  it('a table sized for 50 million states is reserved, not touched: resident memory barely grows', () => {
    const before = process.memoryUsage().rss;
    const set = new FingerprintSet({ expectedStates: 50_000_000 });
    for (let i = 0; i < 300; i++) set.insertFingerprint(Math.imul(i, 2654435761) >>> 0, i, i - 1, 0);
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeLessThan(64 * MiB); // what the machine gives (was the whole 430 MB: a fill)
    expect(set.capacity).toBeGreaterThanOrEqual(50_000_000 / 0.9);
    expect(set.bytes()).toBeGreaterThan(400 * MiB); // what the bound counts
    for (let i = 0; i < 300; i++) expect(set.insertFingerprint(Math.imul(i, 2654435761) >>> 0, i, 0, 0)).toBe(-1);
    set.close();
  });

  it('an expectation far beyond the space is pointed out; the table shows as fixed cost, not per state', async () => {
    const r = await runCli('check', '--model', 'seqcount', '--expect-states', '100000000', '--out', tmp());
    expect(r.code).toBe(0);
    expect(r.out).toContain('note: --expect-states 100,000,000 sized the fingerprint table for that many states (1.5 GiB of the memory bound), but the space has 297 states');
    const j = JSON.parse((await runCli('check', '--model', 'seqcount', '--expect-states', '100000000', '--json', '--out', tmp())).out);
    expect(j.bytesPerState).toBeLessThan(32);
    expect(j.fixedBytes).toBeGreaterThan(800 * MiB);
  });
});

describe('bytes/state leaves out the fixed cost (item 25)', () => {
  it('the 297-state default: a per-state figure near 13 bytes and the fixed cost apart', async () => {
    const j = JSON.parse((await runCli('check', '--model', 'seqcount', '--json', '--out', tmp())).out);
    expect(j.states).toBe(297);
    // an 8-byte slot, its 4-byte index (the liveness graph names states by index) and 5 bytes of
    // links (was ~3,800: all of it); without the liveness graph 13
    expect(j.bytesPerState).toBe(17);
    expect(JSON.parse((await runCli('check', '--model', 'seqcount', '--no-liveness', '--json', '--out', tmp())).out).bytesPerState).toBe(13);
    expect(j.fixedBytes).toBeGreaterThan(512 * 1024); // the initial table, the recent cache, a links chunk
    expect(j.memoryBytes).toBeCloseTo(j.fixedBytes + j.bytesPerState * j.states, 0);
    const t = await runCli('check', '--model', 'seqcount', '--out', tmp());
    const row = t.out.split('\n').find((l) => l.startsWith('ok '))!;
    expect(row.trim().split(/\s+/)[6]).toBe('17.0');
    expect(t.out).toMatch(/^memory: 17\.0 bytes a state \(4\.9 KiB\) \+ 1\.\d MiB fixed \(free table slots, caches\) = 1\.\d MiB \(\+ [\d.]+ KiB for the liveness graph\); peak [\d.]+ MiB of the [\d.]+ GiB bound \(--max-memory\)$/m);
  });

  it('links on disk take no memory per state', async () => {
    const j = JSON.parse((await runCli('check', '--model', 'seqcount', '--links-on-disk', '--json', '--out', tmp())).out);
    expect(j.bytesPerState).toBe(12); // the slot and its index
  });
});

