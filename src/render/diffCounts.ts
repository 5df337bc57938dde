// The counts behind every headline (comment, terminal, check-run title), computed once so they agree.
import { opensAccess } from '../diff/opensAccess.js';
import type { DiffLine, ReachabilityDiff } from '../diff/types.js';

export interface DiffCounts {
  /** Grouped lines by direction. */
  readonly opened: number;
  readonly closed: number;
  readonly added: number;
  readonly removed: number;
  readonly isolation: number;
  /** Lines that open access from IP addresses (any / public). */
  readonly fromOutside: number;
  readonly fromInternet: number;
  /** Per-pair deltas. */
  readonly openedPairs: number;
  readonly closedPairs: number;
}

export function countDiff(diff: ReachabilityDiff): DiffCounts {
  const count = (p: (l: DiffLine) => boolean) => diff.lines.filter(p).length;
  return {
    opened: count((l) => l.direction === 'opened'),
    closed: count((l) => l.direction === 'closed'),
    added: count((l) => l.direction === 'added'),
    removed: count((l) => l.direction === 'removed'),
    isolation: count((l) => l.direction === 'isolation'),
    fromOutside: count((l) => opensAccess(l) && l.flags.includes('from-outside-cluster')),
    fromInternet: count((l) => opensAccess(l) && l.flags.includes('from-internet')),
    openedPairs: diff.opened.length,
    closedPairs: diff.closed.length,
  };
}
