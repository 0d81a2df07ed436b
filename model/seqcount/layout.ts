/**
 * The atomic seqcount's bit layouts (seqcount.md, "Bit layouts"), as data. Every field is a
 * BigInt; `width` is the word's width in bits and all `seq` arithmetic is modulo 2^width.
 *
 * `shrink(layout, seqBits)` keeps the writer fields and narrows the sequence field to `seqBits`
 * bits (the word becomes writer bits + seqBits wide), so that the sequence wraps around after
 * 2^seqBits finished sections: the ABA case of a reader descheduled across a full wrap.
 * The protocol's steps on a `seq` word under a layout are in steps.ts.
 */
import { UsageError } from '../errors';

export type Variant = 'v1' | 'v2' | 'v3';
export const VARIANTS: readonly Variant[] = ['v1', 'v2', 'v3'];

export interface Layout {
  readonly variant: Variant;
  /** The kernel's word size the layout comes from (64 or 32). */
  readonly wordBits: 64 | 32;
  /** Width of the modelled `seq` word in bits (wordBits, or writer bits + seqBits). */
  readonly width: number;
  /** Unit a shared writer adds. */
  readonly shared: bigint;
  /** Field counting shared writers. */
  readonly sharedMask: bigint;
  /** Unit an exclusive writer adds (V2: the one EXCL bit; V3: EXCL_UNIT), null for V1. */
  readonly excl: bigint | null;
  /** Field of exclusive writers (V2: one bit, V3: 16 bits), null for V1. */
  readonly exclMask: bigint | null;
  /** All writer bits: a reader's begin spins while any is set. */
  readonly writersMask: bigint;
  /** One finished write section adds STEP: the sequence field's unit. */
  readonly step: bigint;
  /** Bits below the sequence field (log2 STEP). */
  readonly writerBits: number;
  /** Bits of the sequence field (width - writerBits). */
  readonly seqBits: number;
}

function make(
  variant: Variant,
  wordBits: 64 | 32,
  shared: bigint,
  sharedMask: bigint,
  excl: bigint | null,
  exclMask: bigint | null,
  writersMask: bigint,
  step: bigint,
): Layout {
  const writerBits = step.toString(2).length - 1;
  return { variant, wordBits, width: wordBits, shared, sharedMask, excl, exclMask, writersMask, step, writerBits, seqBits: wordBits - writerBits };
}

/** The table of seqcount.md: 64-bit V1 (patch 06), V2 (patch 16), V3 (patch 18); 32-bit V1, V2. */
export const LAYOUTS: readonly Layout[] = [
  make('v1', 64, 0x1n, 0xffffn, null, null, 0xffffn, 0x10000n),
  make('v2', 64, 0x1n, 0xffffn, 0x10000n, 0x10000n, 0x1ffffn, 0x20000n),
  make('v3', 64, 0x1n, 0xffffn, 0x10000n, 0xffff0000n, 0xffffffffn, 0x100000000n),
  make('v1', 32, 0x1n, 0x7fn, null, null, 0x7fn, 0x80n),
  make('v2', 32, 0x1n, 0x7fn, 0x80n, 0x80n, 0xffn, 0x100n),
];

/** The layout of `variant` for a `wordBits`-bit kernel; UsageError if there is none (V3 is 64-bit only). */
export function layoutOf(variant: Variant, wordBits: number): Layout {
  const l = LAYOUTS.find((x) => x.variant === variant && x.wordBits === wordBits);
  if (!l) throw new UsageError(`no ${wordBits}-bit layout for seqcount variant ${variant} (V3 exists only for 64 bits)`);
  return l;
}

/** `layout` with its sequence field narrowed to `seqBits` bits (1 <= seqBits <= layout.seqBits). */
export function shrink(layout: Layout, seqBits: number): Layout {
  if (!Number.isInteger(seqBits) || seqBits < 1 || seqBits > layout.seqBits)
    throw new UsageError(`seqBits must be an integer in 1..${layout.seqBits} for this layout, got ${seqBits}`);
  return { ...layout, width: layout.writerBits + seqBits, seqBits };
}

/** The sequence number in `seq` (the field above the writer bits). */
export function sequenceOf(layout: Layout, seq: bigint): bigint {
  return seq >> BigInt(layout.writerBits);
}
