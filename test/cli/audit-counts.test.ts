/**
 * Issue #9 item 11: every count the audit states (its text summary, report.md's header and each
 * claim's evidence) agrees with the items it lists. The report is parsed as a reader reads it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runAudit } from '../../cli/audit';
import { claimResults, writeAuditReport, type AuditJson } from '../../cli/report-audit';

let audit: Awaited<ReturnType<typeof runAudit>>;
let md: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-audit-counts-'));
  audit = await runAudit(join(dir, 'traces'), false, { aborted: false }, undefined, 0.2);
  md = readFileSync(writeAuditReport(audit.json as AuditJson, join(dir, 'report'), false).md, 'utf8');
}, 120_000);

/** The cells of a markdown table row (`\|` is a pipe inside a cell). */
const cells = (row: string): string[] =>
  row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));

/** The data rows of the markdown table under `## heading`. */
function tableRows(heading: string): string[][] {
  const lines = md.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = start + 4; i < lines.length && lines[i].startsWith('|'); i++) rows.push(cells(lines[i]));
  return rows;
}

/** A "checked by" cell: its groups `label (N): a, b, c` (or, unlabelled, one group of items). */
function groups(cell: string): { label: string; stated: number | null; items: string[] }[] {
  if (cell === '-') return [];
  return cell.split('; ').map((g) => {
    const m = /^([a-z ]+) \((\d+)\): (.*)$/.exec(g);
    return m ? { label: m[1], stated: Number(m[2]), items: m[3].split(', ') } : { label: '', stated: null, items: g.split(', ') };
  });
}

describe('audit counts agree with the lists they count', () => {
  it('report.md: every claim\'s stated counts match the configurations it lists', () => {
    const rows = tableRows('Claims of the series');
    const json = claimResults(audit.json as AuditJson);
    expect(rows.length).toBe(json.length);
    let counted = 0;
    for (const [i, r] of rows.entries()) {
      const [id, , , , evidence, checkedBy] = r;
      const gs = groups(checkedBy);
      const what = `${id}: ${evidence} | ${checkedBy}`;
      // each group says how many it lists
      for (const g of gs) if (g.stated !== null) expect(g.items.length, what).toBe(g.stated);
      // "... of N configuration(s)" counts the configurations that verified it, listed as such
      for (const m of evidence.matchAll(/(?:holds in every reachable state of|never happens in) (\d+) configuration\(s\)/g)) {
        const verified = gs.find((g) => g.label === 'verified') ?? { items: gs.flatMap((g) => g.items).filter((x) => !x.includes('bug=')) };
        expect(verified.items.length, what).toBe(Number(m[1]));
        counted++;
      }
      // every configuration an evidence item names is listed
      const listed = new Set(gs.flatMap((g) => g.items));
      const named = [
        ...[...evidence.matchAll(/the check has teeth: broken (.+?) violates /g)].map((m) => m[1]),
        ...evidence.split('; ').flatMap((e) => /^((?:seqcount|rmap) [^:]+?)(?:, \w+ exploration at real size)?: \S+ violated/.exec(e)?.[1] ?? []),
      ];
      for (const n of named) expect(listed.has(n), `${what}: ${n}`).toBe(true);
      // and the cell lists exactly the claim's configurations
      expect(gs.flatMap((g) => g.items), what).toEqual(json[i].configurations);
    }
    expect(counted).toBeGreaterThan(10);
  });

  it('report.md header: configurations and claim statuses as counted in its tables', () => {
    const header = /; (\d+) model configurations[;.]/.exec(md);
    expect(header).not.toBeNull();
    expect(tableRows('Model configurations').length).toBe(Number(header![1]));
    const claims = /Claims: (\d+) proved, (\d+) refuted, (\d+) verified up to bounds, (\d+) not checked yet\./.exec(md)!;
    const statuses = tableRows('Claims of the series').map((r) => r[2].replace(/\*/g, ''));
    expect(['proved', 'refuted', 'verified up to bounds', 'not checked yet'].map((s) => statuses.filter((x) => x === s).length)).toEqual(claims.slice(1).map(Number));
  });

  it('the text summary: orders, claims, configurations as listed in its tables', () => {
    const text = audit.text;
    const s = /Summary: (\d+) orders decided \((\d+) refuted(?:: ([\d, ]+))?\); (\d+) of (\d+) claims hold; (\d+) model configurations checked exhaustively and (\d+) explored at random(?:, \d+ conformance run\(s\) of C code)?[,;] (\d+) not as expected/.exec(text)!;
    expect(s).not.toBeNull();
    const j = audit.json;
    expect(Number(s[1])).toBe(j.prove.orders.length);
    expect((s[3] ?? '').split(', ').filter(Boolean).map(Number)).toEqual(j.prove.orders.filter((o) => o.verdict === 'refuted').map((o) => o.order));
    expect(Number(s[2])).toBe(j.prove.orders.filter((o) => o.verdict === 'refuted').length);
    expect([Number(s[4]), Number(s[5])]).toEqual([j.prove.claims.filter((c) => c.holds).length, j.prove.claims.length]);
    // the tables of the text: one row per configuration
    const table = (title: string): number => {
      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.startsWith(title));
      let n = 0;
      for (let i = at + 3; i < lines.length && lines[i] !== '' && !lines[i].startsWith('Summary:') && !lines[i].startsWith('Randomized'); i++) n++;
      return n;
    };
    expect(table('Concurrent models at their default bounds')).toBe(Number(s[6]));
    expect(Number(s[6])).toBe(j.models.length);
    expect(table('Randomized exploration at real size')).toBe(Number(s[7]));
    expect(Number(s[8])).toBe([...j.models, ...j.explore].filter((r) => !r.asExpected).length);
  });
});
