// `audit --report DIR`: report.md and report.html list every claim of the series with its status,
// and link each counterexample's trace and its viewer page (written next to the trace).
import { runCli } from '../helpers/cli';
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';
import { runAudit } from '../../cli/audit';
import { claimResults, SERIES_CLAIMS, writeAuditReport, AuditJson } from '../../cli/report-audit';

let audit: AuditJson;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rmapcheck-report-'));
  audit = (await runAudit(join(dir, 'traces'), false)).json;
});

describe('audit report', () => {
  it('every claim of the spec has a status, computed from the audit data', () => {
    const claims = claimResults(audit);
    expect(claims.slice(0, SERIES_CLAIMS.length).map((c) => c.id)).toEqual(SERIES_CLAIMS.map((c) => c.id));
    const byId = Object.fromEntries(claims.map((c) => [c.id, c]));
    // the sub-ID math is refuted for orders 7..9 (prove), with their traces
    expect(byId.I4.status).toBe('refuted');
    expect(byId.I4.traces.filter((t) => t.includes('subid-')).length).toBe(3);
    expect(byId.I8.status).toBe('verified up to bounds');
    expect(byId.I9.evidence.join(' ')).toContain('shared-plain-update');
    expect(byId.S4.status).toBe('proved');
    expect(byId.S5.status).toBe('not checked yet');
    expect(byId['race-livelock'].status).toBe('proved');
    expect(claims.filter((c) => c.source === 'subid-math.md').length).toBe(audit.prove.claims.length);
    for (const c of claims) expect(['proved', 'refuted', 'verified up to bounds', 'not checked yet']).toContain(c.status);
    // a claim that something happens is refuted, not "verified", when its configurations come
    // back ok (here: the livelock rows with their violations turned into ok)
    const quiet: AuditJson = {
      ...audit,
      models: audit.models.map((r) => (r.config.bug === null && r.verdict === 'violation' ? { ...r, verdict: 'ok', property: null, trace: null } : r)),
    };
    expect(claimResults(quiet).find((c) => c.id === 'race-livelock')!.status).toBe('refuted');
    // a violation the randomized pass finds at real size in a correct variant refutes the claim
    expect(byId.I8.status).toBe('verified up to bounds');
    const row = audit.explore!.find((r) => r.config.bug === null)!;
    const found: AuditJson = { ...audit, explore: [{ ...row, verdict: 'violation', property: 'I8', trace: null, minimizedTraceLength: 9 }] };
    const refuted = claimResults(found).find((c) => c.id === 'I8')!;
    expect(refuted.status).toBe('refuted');
    expect(refuted.evidence.join(' ')).toContain('exploration at real size');
  });

  it("an explore row's repeat line repeats it: same verdict, property and executions", async () => {
    const row = audit.explore!.find((r) => r.verdict === 'violation' && r.config.model === 'seqcount')!;
    const argv = row.repeat.replace(/^npx rmapcheck /, '').split(' ');
    const r = await runCli(...argv, '--json', '--no-minimize', '--out', join(dir, 'repeat'));
    const j = JSON.parse(r.out);
    expect([j.verdict, j.property, j.executions]).toEqual([row.verdict, row.property, row.executions]);
  });

  it('writes report.md, a self-contained report.html and a viewer page per trace, with working links', () => {
    const r = writeAuditReport(audit, join(dir, 'report'), false);
    const md = readFileSync(r.md, 'utf8');
    const html = readFileSync(r.html, 'utf8');
    // the randomized pass's traces get pages too, and a section of both reports
    expect(audit.explore!.filter((x) => x.trace).length).toBeGreaterThan(0);
    expect(md).toContain('## Randomized exploration at real size');
    expect(html).toContain('<h2>Randomized exploration at real size</h2>');
    const traces = audit.models.filter((m) => m.trace).length + audit.prove.orders.filter((o) => o.counterexample?.trace).length + audit.explore!.filter((x) => x.trace).length;
    expect(r.pages.length).toBe(traces);
    for (const p of r.pages) expect(readFileSync(p, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    for (const c of SERIES_CLAIMS) expect(md).toContain(`| ${c.id} |`);
    expect(md).toContain('**not checked yet**');
    const links = [...md.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(traces);
    for (const l of links) expect(existsSync(resolve(dirname(r.md), l)), l).toBe(true);
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => decodeURI(m[1]));
    for (const l of hrefs) expect(existsSync(resolve(dirname(r.html), l)), l).toBe(true);
    expect(html).not.toMatch(/<(script|link|img)\b/);
    // deterministic apart from timings: a second write with the same data is a no-op
    expect(() => writeAuditReport(audit, join(dir, 'report'), false)).not.toThrow();
  });
});
