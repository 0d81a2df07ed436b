/**
 * docs/json.md as the expected `--json` shapes: its field tables are read here, so that the
 * documentation and the output cannot drift apart (test/docs/json.test.ts and every command's
 * own JSON test use these).
 */
import { expect } from 'vitest';
import { readFileSync } from 'fs';
import { join } from 'path';
import { ROOT } from './cli';

export interface DocumentedField {
  field: string;
  types: string[];
}

/** The rows `| \`field\` | type | meaning |` of the section `## \`rmapcheck <command>...`. */
export function documented(command: string): DocumentedField[] {
  const lines = readFileSync(join(ROOT, 'docs', 'json.md'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith(`## \`rmapcheck ${command} `) || l.startsWith(`## \`rmapcheck ${command}\``));
  expect(start, `docs/json.md has a section for ${command}`).toBeGreaterThanOrEqual(0);
  const rows: DocumentedField[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.startsWith('## ')) break;
    const m = /^\| `([^`]+)` \| ([^|]+) \|/.exec(l);
    if (m) rows.push({ field: m[1], types: m[2].trim().split(' or ') });
  }
  expect(rows.length, `the ${command} section has a field table`).toBeGreaterThan(0);
  return rows;
}

/** `v` is one of the documented types (`null`, `array`, `object`, `integer`, or a typeof name). */
export function typeOk(v: unknown, types: string[]): boolean {
  return types.some((t) =>
    t === 'null' ? v === null
    : t === 'array' ? Array.isArray(v)
    : t === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v)
    : t === 'integer' ? Number.isInteger(v)
    : typeof v === t,
  );
}

/** The values a documented field name (`a`, `a.b`, `a[].b`) denotes in `j` (none when a parent is null or absent). */
export function valuesOf(j: unknown, field: string): unknown[] {
  let vals: unknown[] = [j];
  for (const part of field.split('.')) {
    const array = part.endsWith('[]');
    const key = array ? part.slice(0, -2) : part;
    vals = vals.flatMap((v) => {
      if (typeof v !== 'object' || v === null || !(key in v)) return [];
      const x = (v as Record<string, unknown>)[key];
      return array ? (Array.isArray(x) ? x : []) : [x];
    });
  }
  return vals;
}
