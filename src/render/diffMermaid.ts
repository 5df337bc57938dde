// The comment's picture of a change: a Mermaid flowchart of the changed edges (source only, no fence).
import type { ReachabilityDiff } from '../diff/types.js';
import { changeGraph } from './changeGraph.js';
import { mermaidGraph } from './mermaidGraph.js';

export function diffMermaid(diff: ReachabilityDiff): string {
  return mermaidGraph(changeGraph(diff));
}
