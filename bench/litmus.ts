/**
 * Figures of the LKMM checker (issue #13, "Speed": every protocol litmus program, up to about 12
 * events with 6 RMWs on one location, decided in under 1 s), for `npm run bench` (the lead wires
 * `benchLitmus` into bench/run.ts); measured, never asserted. Run alone:
 *   node -r ts-node/register/transpile-only bench/litmus.ts
 * Per program: events, RMWs on its busiest location, candidates, allowed, median seconds of
 * `checkLitmus` over 5 runs, and candidates per second.
 */
import { checkLitmus } from '../lkmm/check';
import { litmusProgramsFor } from '../lkmm/generate/index';
import type { Instr, LitmusProgram } from '../lkmm/program';
import { renderTable } from '../text/table';
import { median } from './median';

/** The worst case: three threads of two value-returning / non-returning RMWs on one word. */
export function sixRmwProgram(): LitmusProgram {
  const body = (t: number): Instr[] => [
    { k: 'rmw', loc: 'seq', op: 'add', operand: { k: 'const', value: 1 << t }, returns: 'new', dst: 'r0', order: 'full' },
    { k: 'if', cond: { k: 'bin', op: '&', a: { k: 'reg', reg: 'r0' }, b: { k: 'const', value: 1 } }, then: [{ k: 'fence', fence: 'mb__before_atomic' }], else: [] },
    { k: 'rmw', loc: 'seq', op: 'add', operand: { k: 'const', value: 8 << t }, returns: 'none', order: 'relaxed' },
  ];
  return {
    name: 'bench-6rmw-one-location',
    locations: [{ name: 'seq', type: 'atomic_long_t', init: 0 }],
    threads: [0, 1, 2].map((t) => ({ name: `P${t}`, params: ['seq'], body: body(t) })),
    condition: { quantifier: 'exists', prop: { k: 'not', a: { k: 'eq', lhs: { k: 'loc', loc: 'seq' }, value: 63 } } },
  };
}

function countEvents(is: readonly Instr[]): number {
  // the longest path's memory events
  let n = 0;
  for (const i of is) {
    if (i.k === 'load' || i.k === 'store') n += 1;
    else if (i.k === 'rmw') n += 2;
    else if (i.k === 'if') n += Math.max(countEvents(i.then), countEvents(i.else));
  }
  return n;
}

function rmwsOn(is: readonly Instr[]): Map<string, number> {
  const m = new Map<string, number>();
  const walk = (xs: readonly Instr[]) => {
    for (const i of xs) {
      if (i.k === 'rmw') m.set(i.loc, (m.get(i.loc) ?? 0) + 1);
      if (i.k === 'if') {
        walk(i.then);
        walk(i.else);
      }
    }
  };
  walk(is);
  return m;
}

export interface LitmusBenchRow {
  readonly name: string;
  readonly events: number;
  readonly maxRmwsOneLocation: number;
  readonly candidates: number;
  readonly allowed: number;
  readonly seconds: number;
  readonly candidatesPerSecond: number;
}

export function benchLitmus(runs = 5): { rows: LitmusBenchRow[]; text: string } {
  const programs = [sixRmwProgram(), ...litmusProgramsFor({ model: 'seqcount' }), ...litmusProgramsFor({ model: 'rmap' })];
  for (const bug of ['no-retry', 'no-begin-wait', 'no-seqcount', 'no-exclusive-wait', 'shared-plain-update', 'aba']) {
    try {
      programs.push(...litmusProgramsFor({ model: 'seqcount', bug }));
    } catch {
      // a bug with no litmus form
    }
  }
  const rows = programs.map((p) => {
    checkLitmus(p); // warm-up (JIT)
    const times: number[] = [];
    let r = checkLitmus(p);
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      r = checkLitmus(p);
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    const seconds = median(times);
    const all = p.threads.flatMap((t) => t.body);
    return {
      name: p.name,
      events: p.threads.reduce((a, t) => a + countEvents(t.body), 0),
      maxRmwsOneLocation: Math.max(0, ...rmwsOn(all).values()),
      candidates: r.candidates,
      allowed: r.allowed,
      seconds,
      candidatesPerSecond: r.candidates / seconds,
    };
  });
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  const text = renderTable(
    ['program', 'events', 'RMWs on one location', 'candidates', 'allowed', 'seconds (median)', 'candidates/s'],
    rows.map((r) => [r.name, String(r.events), String(r.maxRmwsOneLocation), f(r.candidates), f(r.allowed), r.seconds.toFixed(4), f(r.candidatesPerSecond)]),
  );
  return { rows, text };
}

if (require.main === module) {
  console.log('LKMM checker (issue 13; goal: every protocol program in < 1 s)');
  console.log(benchLitmus().text);
}
