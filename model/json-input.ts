/**
 * JSON from a user (trace, scenario, scheme file, explore report): one reader for all of them, so
 * that every file gets the same treatment. A UTF-8 byte-order mark (what some Windows editors put
 * first) is accepted; nesting is bounded, because JSON.stringify, the schema validator and the
 * viewer recurse and a few hundred thousand levels overflow the stack. No rmapcheck file nests
 * more than a handful of levels.
 */
import { UsageError } from './errors';

export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of `{`/`[` in JSON text, brackets inside strings not counted (a plain scan: nothing recursive runs on the text). */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) max = Math.max(max, ++depth);
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return max;
}

/** The deepest nesting of objects and arrays in a value (for a value a library caller passes; iterative, like the scan). */
export function jsonValueDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d);
    if (d > MAX_JSON_DEPTH) break;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

function tooDeep(source: string): never {
  throw new UsageError(`${source}: JSON nested more than ${MAX_JSON_DEPTH} levels deep (no rmapcheck input needs that many)`);
}

/** Refuses a value nested deeper than MAX_JSON_DEPTH (before anything recursive sees it). */
export function checkJsonDepth(value: unknown, source: string): void {
  if (jsonValueDepth(value) > MAX_JSON_DEPTH) tooDeep(source);
}

/**
 * Parses a user's JSON text: BOM stripped, nesting bounded. Every problem is a one-line
 * UsageError starting with `source` (empty, not valid JSON, nested too deep).
 */
export function parseUserJson(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim().length === 0) throw new UsageError(`${source}: the file is empty`);
  if (jsonTextDepth(body) > MAX_JSON_DEPTH) tooDeep(source);
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new UsageError(`${source}: not valid JSON (truncated or corrupted?): ${(e as Error).message}`);
  }
}
