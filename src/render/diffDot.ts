// `netpol diff --format dot`: the comment's Mermaid graph for Graphviz (same nodes, same edges), with what
// was analysed in leading comments.
import type { ReachabilityDiff, SideSummary } from '../diff/types.js';
import { changeGraph } from './changeGraph.js';
import { describeSideCounts, describeSkipped } from './describeSide.js';
import { diffHeadline } from './diffHeadline.js';
import { dotGraph } from './dotGraph.js';

export function diffDot(diff: ReachabilityDiff): string {
  const side = (name: string, s: SideSummary) => [
    `${name}${s.ref !== undefined ? ` ${s.ref}` : ''}: ${describeSideCounts(s)}`,
    ...describeSkipped(s).map((x) => `${name} skipped: ${x}`),
  ];
  const comments = [
    `netpol diff: ${diffHeadline(diff)}`,
    ...side('base', diff.base),
    ...side('head', diff.head),
    ...diff.diagnostics.map((d) => `${d.severity}: ${d.file}:${d.line}: ${d.message}`),
  ];
  return dotGraph(changeGraph(diff), comments);
}
