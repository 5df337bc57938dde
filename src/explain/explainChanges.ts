import { diffMatrices } from '../diff/diffMatrices.js';
import type { DiffLine, PairDelta } from '../diff/types.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { Protocol } from '../manifests/model.js';
import { explain } from './explain.js';
import type { ExplainResult } from './types.js';

export interface ExplainedChange {
  readonly line: DiffLine;
  /** The pair explained: the first of the line's pairs. */
  readonly pair: PairDelta;
  readonly head: ExplainResult;
  readonly base: ExplainResult;
}

/**
 * Why the riskiest changed connections changed (the check run's "Explain" button): for each critical or
 * high line (else every opened/closed line), up to `max`, one representative pair explained at head and at
 * the merge base, so the reviewer sees the rule that lets it through now and what stopped it before.
 */
export function explainChanges(base: ReachabilityMatrix, head: ReachabilityMatrix, max = 5): ExplainedChange[] {
  const diff = diffMatrices(base, head);
  const risky = diff.lines.filter((l) => (l.risk === 'critical' || l.risk === 'high') && l.pairs.length > 0);
  const chosen = (risky.length > 0 ? risky : diff.lines.filter((l) => l.pairs.length > 0)).slice(0, max);
  return chosen.map((line) => {
    const pair = line.pairs[0]!;
    const probe = firstPort(pair);
    const request = { from: pair.src, to: pair.dst, ...probe };
    return { line, pair, head: explain(head, request), base: explain(base, request) };
  });
}

/** The first port of the delta, so the explanation is about a port that actually changed. */
function firstPort(pair: PairDelta): { port?: number; protocol?: Protocol } {
  if ('all' in pair) return {};
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
    const r = pair.ports[protocol][0];
    if (r) return { port: r[0]!, protocol };
  }
  return {};
}
