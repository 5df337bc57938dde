// The one-line summary of a diff, shared by the comment and the terminal output.
import type { ReachabilityDiff } from '../diff/types.js';
import { countDiff } from './diffCounts.js';

export const NO_CHANGES = 'No reachability changes';

/** "3 paths opened, 1 closed, 1 from outside the cluster (1 from the internet)", or NO_CHANGES. */
export function diffHeadline(diff: ReachabilityDiff): string {
  const c = countDiff(diff);
  if (diff.lines.length === 0 && c.openedPairs === 0 && c.closedPairs === 0) return NO_CHANGES;
  const parts = [`${c.opened} ${c.opened === 1 ? 'path' : 'paths'} opened`, `${c.closed} closed`];
  if (c.fromOutside > 0) {
    const internet = c.fromInternet > 0 ? ` (${c.fromInternet} from the internet)` : '';
    parts.push(`${c.fromOutside} from outside the cluster${internet}`);
  }
  if (c.added > 0) parts.push(`${c.added} new ${c.added === 1 ? 'workload' : 'workloads'}`);
  if (c.removed > 0) parts.push(`${c.removed} removed ${c.removed === 1 ? 'workload' : 'workloads'}`);
  if (c.isolation > 0) parts.push(`${c.isolation} isolation ${c.isolation === 1 ? 'change' : 'changes'}`);
  return parts.join(', ');
}
