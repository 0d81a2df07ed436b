/** What test/manifest.json pins of one exhaustive check (the seqcount entries, the bug defaults). */
export interface PinnedCheck {
  verdict: string;
  property: string | null;
  states: number;
  transitions: number;
  maxDepth: number;
  counterexampleLength: number | null;
}
