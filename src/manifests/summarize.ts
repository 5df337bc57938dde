// The "what was analysed" lines of every output: skipped objects grouped by kind.
import type { SkippedObject } from './model.js';

export interface SkippedSummary {
  readonly kind: string;
  readonly count: number;
  /** Distinct reasons, in order of first appearance. */
  readonly reasons: string[];
}

/** Skipped objects by kind, most frequent first (ties by kind name, so output is stable). */
export function summarizeSkipped(skipped: readonly SkippedObject[]): SkippedSummary[] {
  const byKind = new Map<string, { count: number; reasons: Set<string> }>();
  for (const s of skipped) {
    const entry = byKind.get(s.kind) ?? { count: 0, reasons: new Set<string>() };
    entry.count++;
    entry.reasons.add(s.reason);
    byKind.set(s.kind, entry);
  }
  return [...byKind.entries()]
    .map(([kind, e]) => ({ kind, count: e.count, reasons: [...e.reasons] }))
    .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}
