/**
 * The C-litmus reader (issue #13): the format of the kernel's tools/memory-model litmus tests,
 * without locks, RCU or SRCU. A file is a `C name` line, an optional `(* ... *)` comment, the
 * init block, the threads `P0(atomic_t *x, int *y) { ... }` and the final clause
 * (`exists` / `~exists` / `forall`). Memory accesses inside expressions (`if (READ_ONCE(*x))`,
 * `*x = *x + 1`) are hoisted into loads into fresh registers, left to right, so that every
 * access is one instruction of the intermediate form (lkmm/program.ts).
 *
 * Errors are one-line UsageErrors: `FILE:LINE:COL: ...` for syntax, and for a primitive this
 * checker does not judge (a lock, RCU, anything unknown) the line and the primitive's name.
 */
import { UsageError } from '../model/errors';
import type { Condition, Expr, Instr, LitmusProgram, Location, LocationType, Operand, Prop, Thread } from './program';
import { PRIMITIVES, type Primitive } from './primitives';

type TokKind = 'id' | 'num' | 'op' | 'eof';
interface Tok {
  readonly k: TokKind;
  readonly v: string;
  readonly line: number;
  readonly col: number;
}

/** Operators, longest first (the lexer takes the longest match). */
const OPS = ['/\\', '\\/', '==', '!=', '<=', '>=', '&&', '||', '+=', '-=', '|=', '&=', '^=', '++', '--', '->', '<<', '>>', '(', ')', '{', '}', '[', ']', ';', ',', '*', '&', '=', '<', '>', '+', '-', '^', '|', '!', '~', ':', '.', '/', '%', '?'];

const LOCK_PRIMS = /^(raw_)?(spin|mutex|read|write)_(lock|unlock|trylock|is_locked)|^smp_mb__after_(spinlock|unlock_lock)$/;
const RCU_PRIMS = /^(rcu_|synchronize_(s)?rcu|srcu_|call_rcu|smp_mb__after_srcu_read_unlock)/;

class Lexer {
  readonly toks: Tok[] = [];
  constructor(private readonly source: string, text: string, startLine: number) {
    let line = startLine;
    let col = 1;
    let i = 0;
    /** Brace and parenthesis nesting: 0 between the file's parts. */
    let depth = 0;
    const adv = (n: number) => {
      for (let j = 0; j < n; j++) {
        if (text[i] === '\n') {
          line++;
          col = 1;
        } else col++;
        i++;
      }
    };
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        adv(1);
        continue;
      }
      if (text.startsWith('//', i)) {
        while (i < text.length && text[i] !== '\n') adv(1);
        continue;
      }
      if (text.startsWith('/*', i) || (depth === 0 && text.startsWith('(*', i))) {
        // `(* *)` comments between threads and before the clause too, never inside code,
        // where `(*` is C: READ_ONCE(*x)
        const close = text[i] === '/' ? '*/' : '*)';
        const end = text.indexOf(close, i + 2);
        if (end < 0) this.fail(line, col, 'unterminated comment');
        adv(end + 2 - i);
        continue;
      }
      const m = /^(0[xX][0-9a-fA-F]+|\d+)|^([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i, i + 200));
      if (m) {
        this.toks.push({ k: m[1] ? 'num' : 'id', v: m[0], line, col });
        adv(m[0].length);
        continue;
      }
      const op = OPS.find((o) => text.startsWith(o, i));
      if (!op) this.fail(line, col, `unexpected character '${c}'`);
      if (op === '(' || op === '{') depth++;
      else if (op === ')' || op === '}') depth = Math.max(0, depth - 1);
      this.toks.push({ k: 'op', v: op, line, col });
      adv(op.length);
    }
    this.toks.push({ k: 'eof', v: 'end of file', line, col });
  }
  fail(line: number, col: number, msg: string): never {
    throw new UsageError(`${this.source}:${line}:${col}: ${msg}`);
  }
}

/** A register of the thread being parsed, or a location it names. */
interface Scope {
  readonly params: Map<string, Location>;
  readonly regs: Set<string>;
  /** Every identifier in the thread's text: fresh temporaries avoid them. */
  readonly taken: Set<string>;
  nextTemp: number;
}

/**
 * Parses a C-litmus file. `source` names it in error messages (a path).
 * Throws a one-line UsageError on anything it does not accept.
 */
export function parseLitmus(text: string, source: string): LitmusProgram {
  return new Parser(text, source).program();
}

class Parser {
  private toks: Tok[] = [];
  private pos = 0;
  private lex!: Lexer;
  private locations = new Map<string, Location>();
  private declaredTypes = new Map<string, LocationType>();
  /** Per thread: its registers (declared locals and temporaries), for the final clause. */
  private threadRegs: Set<string>[] = [];

  constructor(private readonly text: string, private readonly source: string) {}

  program(): LitmusProgram {
    // the `C name` line is not C: read it as a line
    const lines = this.text.split('\n');
    let first = 0;
    while (first < lines.length && lines[first].trim() === '') first++;
    const head = /^\s*C\s+(\S.*?)\s*$/.exec(lines[first] ?? '');
    if (!head) throw new UsageError(`${this.source}:${first + 1}:1: expected the litmus header 'C <name>' (only C litmus tests are read)`);
    const name = head[1];
    let rest = lines.slice(first + 1).join('\n');
    // the leading (* ... *) comment is kept as the program's comment
    let comment: string | undefined;
    let restLine = first + 2;
    const lead = /^\s*/.exec(rest)![0];
    if (rest.startsWith('(*', lead.length)) {
      const end = rest.indexOf('*)', lead.length + 2);
      if (end < 0) throw new UsageError(`${this.source}:${restLine + (lead.match(/\n/g)?.length ?? 0)}:1: unterminated comment`);
      comment = rest.slice(lead.length + 2, end);
      const consumed = rest.slice(0, end + 2);
      restLine += consumed.split('\n').length - 1;
      rest = ' '.repeat(consumed.split('\n').pop()!.length) + rest.slice(end + 2);
    }
    this.lex = new Lexer(this.source, rest, restLine);
    this.toks = this.lex.toks;
    this.initBlock();
    const threads: Thread[] = [];
    while (this.peek().k === 'id' && /^P\d+$/.test(this.peek().v)) threads.push(this.thread(threads.length));
    if (threads.length === 0) this.fail(this.peek(), `expected a thread 'P0(...)', found '${this.peek().v}'`);
    // locations whose type only a thread's parameter list gives
    const locations = [...this.locations.values()].map((l) => ({ ...l, type: this.declaredTypes.get(l.name) ?? l.type }));
    const condition = this.condition(threads, locations);
    return { name, ...(comment !== undefined ? { comment } : {}), locations, threads, condition };
  }

  // --- tokens -----------------------------------------------------------------------------

  private peek(n = 0): Tok {
    return this.toks[Math.min(this.pos + n, this.toks.length - 1)];
  }
  private next(): Tok {
    return this.toks[Math.min(this.pos++, this.toks.length - 1)];
  }
  private is(v: string, n = 0): boolean {
    const t = this.peek(n);
    return t.k !== 'eof' && t.v === v;
  }
  private accept(v: string): boolean {
    if (this.is(v)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private expect(v: string): Tok {
    if (!this.is(v)) this.fail(this.peek(), `expected '${v}', found '${this.peek().v}'`);
    return this.next();
  }
  private ident(what: string): Tok {
    const t = this.peek();
    if (t.k !== 'id') this.fail(t, `expected ${what}, found '${t.v}'`);
    return this.next();
  }
  private fail(t: Tok, msg: string): never {
    throw new UsageError(`${this.source}:${t.line}:${t.col}: ${msg}`);
  }
  private unsupported(t: Tok, name: string): never {
    if (LOCK_PRIMS.test(name)) this.fail(t, `${name}: locks are not supported by rmapcheck's LKMM checker`);
    if (RCU_PRIMS.test(name)) this.fail(t, `${name}: RCU and SRCU are not supported by rmapcheck's LKMM checker`);
    this.fail(t, `${name}: unknown primitive`);
  }

  // --- init block ------------------------------------------------------------------------

  private initBlock(): void {
    this.expect('{');
    while (!this.accept('}')) {
      if (this.accept(';')) continue;
      const start = this.peek();
      let type: LocationType | null = null;
      if (this.peek().k === 'id' && this.peek(1).k === 'id') type = this.typeName();
      if (this.peek().k === 'num' && this.is(':', 1)) this.fail(start, 'register initial values are not supported (registers start at 0)');
      const loc = this.ident('a location name');
      if (this.is('[')) this.fail(loc, 'arrays are not supported');
      let value = 0;
      if (this.accept('=')) {
        const t = this.peek();
        if (t.k === 'id' && /^ATOMIC(_LONG)?_INIT$/.test(t.v)) {
          this.next();
          this.expect('(');
          value = this.number();
          this.expect(')');
        } else if (t.k === 'id') this.fail(t, `pointer initial values are not supported ('${t.v}')`);
        else value = this.number();
      }
      if (this.locations.has(loc.v)) this.fail(loc, `location ${loc.v} is initialized twice`);
      this.locations.set(loc.v, { name: loc.v, type: type ?? 'int', init: value });
      if (type) this.declaredTypes.set(loc.v, type);
      if (!this.is('}')) this.expect(';');
    }
  }

  private number(): number {
    const neg = this.accept('-');
    const t = this.peek();
    if (t.k !== 'num') this.fail(t, `expected a number, found '${t.v}'`);
    this.next();
    return (neg ? -1 : 1) * Number(t.v);
  }

  /** A C type: `int`, `long`, `unsigned [int|long]`, `atomic_t`, `atomic_long_t`, `bool`. */
  private typeName(): LocationType {
    const t = this.ident('a type');
    if (t.v === 'spinlock_t' || t.v === 'raw_spinlock_t' || t.v === 'struct' && this.is('mutex')) this.fail(t, `${t.v}: locks are not supported by rmapcheck's LKMM checker`);
    if (t.v === 'struct') this.fail(t, `struct ${this.peek().v}: ${this.is('srcu_struct') ? 'SRCU is' : 'structures are'} not supported by rmapcheck's LKMM checker`);
    if (t.v === 'atomic_t' || t.v === 'atomic_long_t') return t.v;
    if (t.v === 'unsigned' || t.v === 'signed') {
      if (this.is('int') || this.is('long') || this.is('char') || this.is('short')) this.next();
      return 'int';
    }
    if (['int', 'long', 'bool', 'char', 'short', 'u8', 'u16', 'u32', 'u64', 's32', 's64', 'intptr_t'].includes(t.v)) {
      if (t.v === 'long' && (this.is('long') || this.is('int'))) this.next();
      return 'int';
    }
    this.fail(t, `${t.v}: unknown type`);
  }

  // --- threads ---------------------------------------------------------------------------

  private thread(index: number): Thread {
    const head = this.next();
    if (head.v !== `P${index}`) this.fail(head, `expected thread P${index}, found ${head.v}`);
    this.expect('(');
    const params = new Map<string, Location>();
    while (!this.accept(')')) {
      const type = this.typeName();
      const star = this.expect('*');
      if (this.is('*')) this.fail(star, 'pointers to pointers are not supported');
      const name = this.ident('a parameter name');
      const known = this.locations.get(name.v);
      const declared = this.declaredTypes.get(name.v);
      if (declared && declared !== type && type !== 'int') this.fail(name, `location ${name.v} is declared as ${declared} elsewhere`);
      if (!declared && type !== 'int') this.declaredTypes.set(name.v, type);
      const loc: Location = known ?? { name: name.v, type, init: 0 };
      if (!known) this.locations.set(name.v, loc);
      params.set(name.v, loc);
      if (!this.is(')')) this.expect(',');
    }
    const open = this.expect('{');
    // every identifier up to the matching brace: temporaries must not collide with them
    const taken = new Set<string>();
    for (let i = this.pos, depth = 1; i < this.toks.length && depth > 0; i++) {
      const t = this.toks[i];
      if (t.v === '{') depth++;
      else if (t.v === '}') depth--;
      else if (t.k === 'id') taken.add(t.v);
      if (t.k === 'eof') this.fail(open, `thread P${index}: no closing '}'`);
    }
    const scope: Scope = { params, regs: new Set(), taken, nextTemp: 0 };
    this.threadRegs[index] = scope.regs;
    const body = this.block(scope, true);
    return { name: `P${index}`, params: [...params.keys()], body };
  }

  /** Statements up to the closing `}` (the opening one already read). */
  private block(scope: Scope, top = false): Instr[] {
    const out: Instr[] = [];
    while (!this.accept('}')) {
      if (this.peek().k === 'eof') this.fail(this.peek(), `expected '}'${top ? ' at the end of the thread' : ''}`);
      this.statement(scope, out);
    }
    return out;
  }

  private freshReg(scope: Scope): string {
    for (;;) {
      const name = `t${scope.nextTemp++}`;
      if (!scope.taken.has(name) && !scope.regs.has(name)) {
        scope.regs.add(name);
        scope.taken.add(name);
        return name;
      }
    }
  }

  private isTypeStart(): boolean {
    const t = this.peek();
    return t.k === 'id' && ['int', 'long', 'unsigned', 'signed', 'bool', 'char', 'short', 'u8', 'u16', 'u32', 'u64', 's32', 's64', 'intptr_t', 'atomic_t', 'atomic_long_t', 'spinlock_t', 'struct'].includes(t.v);
  }

  private statement(scope: Scope, out: Instr[]): void {
    const t = this.peek();
    if (this.accept(';')) return;
    if (this.accept('{')) {
      out.push(...this.block(scope));
      return;
    }
    if (this.isTypeStart()) return this.declaration(scope, out);
    if (t.k === 'id' && (t.v === 'while' || t.v === 'for' || t.v === 'do' || t.v === 'goto')) this.fail(t, `${t.v}: loops are not supported (litmus programs are loop-free)`);
    if (t.k === 'id' && t.v === 'return') this.fail(t, 'return is not supported');
    if (t.k === 'id' && t.v === 'if') {
      this.next();
      this.expect('(');
      const cond = this.expr(scope, out);
      this.expect(')');
      const then = this.branch(scope);
      const els = this.accept('else') ? this.branch(scope) : [];
      out.push({ k: 'if', cond, then, else: els });
      return;
    }
    // `*x = e;`, `*x += e;`: a plain store
    if (this.is('*')) {
      this.next();
      const loc = this.location(scope);
      const op = this.next();
      let value: Expr;
      if (op.v === '=') value = this.expr(scope, out);
      else if (['+=', '-=', '|=', '&=', '^='].includes(op.v)) {
        const old = this.freshReg(scope);
        out.push({ k: 'load', dst: old, loc: loc.name, access: 'plain' });
        value = { k: 'bin', op: op.v[0] as '+', a: { k: 'reg', reg: old }, b: this.expr(scope, out) };
      } else this.fail(op, `expected '=' after *${loc.name}, found '${op.v}'`);
      this.expect(';');
      out.push({ k: 'store', loc: loc.name, value, access: 'plain' });
      return;
    }
    if (t.k === 'id' && this.is('(', 1)) {
      this.call(scope, out, null);
      this.expect(';');
      return;
    }
    if (t.k === 'id') {
      if (scope.params.has(t.v)) this.fail(t, `assignment to the pointer ${t.v} is not supported`);
      if (!scope.regs.has(t.v)) this.fail(t, `${t.v}: undeclared register`);
      this.next();
      const op = this.next();
      if (op.v === '=') {
        // `r = prim(...)`: the access lands in r itself, no temporary
        if (this.peek().k === 'id' && this.is('(', 1) && this.isAccessCall() && this.is(';', this.callLength())) {
          this.call(scope, out, t.v);
        } else if (this.is('*') && this.peek(1).k === 'id' && this.is(';', 2)) {
          // `r = *x;`: a plain load into r itself
          this.next();
          out.push({ k: 'load', dst: t.v, loc: this.location(scope).name, access: 'plain' });
        } else out.push({ k: 'assign', dst: t.v, value: this.expr(scope, out) });
      } else if (['+=', '-=', '|=', '&=', '^='].includes(op.v)) {
        out.push({ k: 'assign', dst: t.v, value: { k: 'bin', op: op.v[0] as '+', a: { k: 'reg', reg: t.v }, b: this.expr(scope, out) } });
      } else if (op.v === '++' || op.v === '--') {
        out.push({ k: 'assign', dst: t.v, value: { k: 'bin', op: op.v[0] as '+', a: { k: 'reg', reg: t.v }, b: { k: 'const', value: 1 } } });
      } else this.fail(op, `expected '=' after ${t.v}, found '${op.v}'`);
      this.expect(';');
      return;
    }
    this.fail(t, `expected a statement, found '${t.v}'`);
  }

  /** The call at the cursor is a primitive (not a plain identifier call we reject later). */
  private isAccessCall(): boolean {
    return PRIMITIVES.has(this.peek().v);
  }

  /** Tokens of the call expression at the cursor (name ( ... )). */
  private callLength(): number {
    let depth = 0;
    for (let i = this.pos + 1; i < this.toks.length; i++) {
      const v = this.toks[i].v;
      if (v === '(') depth++;
      else if (v === ')' && --depth === 0) return i - this.pos + 1;
      if (this.toks[i].k === 'eof') return 0;
    }
    return 0;
  }

  private branch(scope: Scope): Instr[] {
    const out: Instr[] = [];
    if (this.accept('{')) return this.block(scope);
    this.statement(scope, out);
    return out;
  }

  private declaration(scope: Scope, out: Instr[]): void {
    const t = this.peek();
    const type = this.typeName();
    if (type !== 'int') this.fail(t, `local ${type} variables are not supported`);
    for (;;) {
      if (this.is('*')) this.fail(this.peek(), 'local pointers are not supported');
      const name = this.ident('a register name');
      if (scope.params.has(name.v)) this.fail(name, `${name.v} is a parameter of this thread`);
      scope.regs.add(name.v);
      if (this.accept('=')) {
        if (this.peek().k === 'id' && this.is('(', 1) && this.isAccessCall() && (this.is(';', this.callLength()) || this.is(',', this.callLength()))) this.call(scope, out, name.v);
        else if (this.is('*') && this.peek(1).k === 'id' && (this.is(';', 2) || this.is(',', 2))) {
          this.next();
          out.push({ k: 'load', dst: name.v, loc: this.location(scope).name, access: 'plain' });
        } else out.push({ k: 'assign', dst: name.v, value: this.expr(scope, out) });
      }
      if (this.accept(';')) return;
      this.expect(',');
    }
  }

  /** A parameter named by a pointer argument: `x` (or `&*x`), checked against the thread's list. */
  private location(scope: Scope): Location {
    const t = this.ident('a location');
    const loc = scope.params.get(t.v);
    if (!loc) this.fail(t, scope.regs.has(t.v) ? `${t.v} is a register, not a location (pointers are not supported)` : `${t.v}: not a parameter of this thread`);
    if (this.is('->') || this.is('.') || this.is('[')) this.fail(this.peek(), `'${this.peek().v}' on a location is not supported`);
    return this.locations.get(loc.name)!;
  }

  /** The argument of READ_ONCE/WRITE_ONCE: `*x`. */
  private derefArg(scope: Scope): Location {
    this.expect('*');
    return this.location(scope);
  }

  /**
   * A primitive call; `dst` is where a returned value goes (null: a statement; a value-returning
   * primitive then gets a temporary so that its event still happens). Returns the register read.
   */
  private call(scope: Scope, out: Instr[], dst: string | null): string | null {
    const nameTok = this.next();
    const name = nameTok.v;
    const prim = PRIMITIVES.get(name);
    if (!prim) this.unsupported(nameTok, name);
    this.expect('(');
    const r = this.primitive(scope, out, prim, name, dst);
    this.expect(')');
    return r;
  }

  private primitive(scope: Scope, out: Instr[], p: Primitive, name: string, dst: string | null): string | null {
    const reg = () => dst ?? this.freshReg(scope);
    switch (p.k) {
      case 'fence':
        out.push({ k: 'fence', fence: p.fence });
        return null;
      case 'load': {
        const loc = p.deref ? this.derefArg(scope) : this.location(scope);
        const d = reg();
        out.push({ k: 'load', dst: d, loc: loc.name, access: p.access, prim: name });
        return d;
      }
      case 'store': {
        const loc = p.deref ? this.derefArg(scope) : this.location(scope);
        this.expect(',');
        const value = this.expr(scope, out);
        out.push({ k: 'store', loc: loc.name, value, access: p.access, prim: name });
        if (p.thenMb) out.push({ k: 'fence', fence: 'mb' });
        return null;
      }
      case 'rmw': {
        let operand: Expr;
        let loc: Location;
        let expected: Expr | undefined;
        let tryReg: string | undefined;
        if (p.op === 'xchg') {
          loc = this.location(scope);
          this.expect(',');
          operand = this.expr(scope, out);
        } else if (p.op === 'cmpxchg') {
          loc = this.location(scope);
          this.expect(',');
          if (p.tryForm) {
            const amp = this.expect('&');
            const r = this.ident('a register');
            if (!scope.regs.has(r.v)) this.fail(amp, `try_cmpxchg needs &register as its second argument`);
            tryReg = r.v;
            expected = { k: 'reg', reg: r.v };
          } else expected = this.expr(scope, out);
          this.expect(',');
          operand = this.expr(scope, out);
        } else if (p.implicitOne) {
          loc = this.location(scope);
          operand = { k: 'const', value: 1 };
        } else {
          operand = this.expr(scope, out);
          this.expect(',');
          loc = this.location(scope);
        }
        if (p.returns === 'none') {
          out.push({ k: 'rmw', loc: loc.name, op: p.op, operand, returns: 'none', order: p.order, prim: name });
          return null;
        }
        if (tryReg !== undefined) {
          // try_cmpxchg(v, &s, n): old = cmpxchg(v, s, n); ok = (old == s); s = old (on success they are equal)
          const old = this.freshReg(scope);
          out.push({ k: 'rmw', loc: loc.name, op: 'cmpxchg', operand, expected, returns: 'old', dst: old, order: p.order, prim: name.replace('try_', '') });
          const ok = reg();
          out.push({ k: 'assign', dst: ok, value: { k: 'bin', op: '==', a: { k: 'reg', reg: old }, b: { k: 'reg', reg: tryReg } } });
          out.push({ k: 'assign', dst: tryReg, value: { k: 'reg', reg: old } });
          return ok;
        }
        if (p.test) {
          // atomic_dec_and_test(x): t = atomic_dec_return(x); r = (t == 0)
          const t = this.freshReg(scope);
          out.push({ k: 'rmw', loc: loc.name, op: p.op, operand, returns: 'new', dst: t, order: p.order, prim: p.test.base });
          const d = reg();
          out.push({ k: 'assign', dst: d, value: { k: 'bin', op: p.test.op, a: { k: 'reg', reg: t }, b: { k: 'const', value: 0 } } });
          return d;
        }
        const d = reg();
        out.push({ k: 'rmw', loc: loc.name, op: p.op, operand, ...(expected ? { expected } : {}), returns: p.returns, dst: d, order: p.order, prim: name });
        return d;
      }
    }
  }

  // --- expressions (C precedence) ---------------------------------------------------------

  private static readonly LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-']];

  private expr(scope: Scope, out: Instr[], level = 0): Expr {
    if (level === Parser.LEVELS.length) return this.unary(scope, out);
    let a = this.expr(scope, out, level + 1);
    for (;;) {
      const t = this.peek();
      if (t.k !== 'op' || !Parser.LEVELS[level].includes(t.v)) return a;
      this.next();
      // the right side of && / || runs only sometimes: an access there would be hoisted wrongly
      const mark = out.length;
      const b = this.expr(scope, out, level + 1);
      if ((t.v === '&&' || t.v === '||') && out.length > mark) this.fail(t, `a memory access on the right of '${t.v}' is not supported; read it into a register first`);
      a = { k: 'bin', op: t.v as '+', a, b };
    }
  }

  private unary(scope: Scope, out: Instr[]): Expr {
    const t = this.peek();
    if (this.accept('!')) return { k: 'not', a: this.unary(scope, out) };
    if (this.accept('~')) return { k: 'bin', op: '^', a: this.unary(scope, out), b: { k: 'const', value: -1 } };
    if (this.accept('-')) {
      const a = this.unary(scope, out);
      return a.k === 'const' ? { k: 'const', value: -a.value } : { k: 'bin', op: '-', a: { k: 'const', value: 0 }, b: a };
    }
    if (this.accept('(')) {
      const e = this.expr(scope, out);
      this.expect(')');
      return e;
    }
    if (t.k === 'num') {
      this.next();
      return { k: 'const', value: Number(t.v) };
    }
    if (this.accept('*')) {
      const loc = this.location(scope);
      const d = this.freshReg(scope);
      out.push({ k: 'load', dst: d, loc: loc.name, access: 'plain' });
      return { k: 'reg', reg: d };
    }
    if (t.k === 'id') {
      if (t.v === 'true' || t.v === 'false') {
        this.next();
        return { k: 'const', value: t.v === 'true' ? 1 : 0 };
      }
      if (this.is('(', 1)) {
        if (!PRIMITIVES.has(t.v)) this.unsupported(t, t.v);
        const p = PRIMITIVES.get(t.v)!;
        if (p.k === 'fence' || p.k === 'store' || (p.k === 'rmw' && p.returns === 'none')) this.fail(t, `${t.v} returns no value`);
        const r = this.call(scope, out, null)!;
        return { k: 'reg', reg: r };
      }
      this.next();
      if (scope.regs.has(t.v)) return { k: 'reg', reg: t.v };
      if (scope.params.has(t.v)) this.fail(t, `${t.v} is a pointer; pointer values are not supported (write *${t.v} or READ_ONCE(*${t.v}))`);
      this.fail(t, `${t.v}: undeclared register`);
    }
    this.fail(t, `expected an expression, found '${t.v}'`);
  }

  // --- the final clause -------------------------------------------------------------------

  private condition(threads: readonly Thread[], locations: readonly Location[]): Condition {
    if (this.is('locations')) {
      this.next();
      this.expect('[');
      while (!this.accept(']')) {
        if (this.peek().k === 'eof') this.fail(this.peek(), "expected ']'");
        this.next();
      }
    }
    const t = this.peek();
    let quantifier: Condition['quantifier'];
    if (this.accept('~')) {
      if (!this.accept('exists')) this.fail(this.peek(), "expected 'exists' after '~'");
      quantifier = '~exists';
    } else if (this.accept('exists')) quantifier = 'exists';
    else if (this.accept('forall')) quantifier = 'forall';
    else if (t.k === 'eof') this.fail(t, "expected the final clause 'exists (...)'");
    else if (t.v === 'filter') this.fail(t, 'filter clauses are not supported');
    else this.fail(t, `expected 'exists', '~exists' or 'forall', found '${t.v}'`);
    const prop = this.prop(threads, locations);
    if (this.peek().k !== 'eof') this.fail(this.peek(), `unexpected '${this.peek().v}' after the final clause`);
    return { quantifier, prop };
  }

  private prop(threads: readonly Thread[], locs: readonly Location[]): Prop {
    let a = this.conj(threads, locs);
    while (this.accept('\\/')) a = { k: 'or', a, b: this.conj(threads, locs) };
    return a;
  }
  private conj(threads: readonly Thread[], locs: readonly Location[]): Prop {
    let a = this.atom(threads, locs);
    while (this.accept('/\\')) a = { k: 'and', a, b: this.atom(threads, locs) };
    return a;
  }
  private atom(threads: readonly Thread[], locs: readonly Location[]): Prop {
    const t = this.peek();
    if (this.accept('~')) return { k: 'not', a: this.atom(threads, locs) };
    if (this.accept('(')) {
      const p = this.prop(threads, locs);
      this.expect(')');
      return p;
    }
    if (this.accept('true')) return { k: 'true' };
    if (this.accept('false')) return { k: 'not', a: { k: 'true' } };
    let lhs: Operand;
    if (t.k === 'num' && this.is(':', 1)) {
      this.next();
      this.next();
      const thread = Number(t.v);
      const r = this.ident('a register');
      if (thread >= threads.length) this.fail(t, `no thread P${thread}`);
      lhs = { k: 'reg', thread, reg: r.v };
      if (!this.threadRegs[thread].has(r.v)) this.fail(r, `${r.v} is not a register of P${thread}`);
    } else {
      const bracket = this.accept('[');
      const l = this.ident('a register or location');
      if (bracket) this.expect(']');
      if (!locs.some((x) => x.name === l.v)) this.fail(l, `${l.v}: no such location`);
      lhs = { k: 'loc', loc: l.v };
    }
    this.expect('=');
    return { k: 'eq', lhs, value: this.number() };
  }
}

