// `netpol matrix --format dot`: workloads boxed by namespace, IP ranges as separate ellipses, edges labelled
// with ports. What was analysed goes in leading comments, so the picture stays readable.
import { describeIps } from '../diff/describeIps.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import { describeSideCounts, describeSkipped } from './describeSide.js';
import { dotGraph } from './dotGraph.js';
import type { GraphNode } from './graph.js';
import { selectMatrix, type MatrixRenderOptions } from './matrixSelection.js';
import { summarizeCluster } from '../diff/sideSummary.js';

export function matrixDot(matrix: ReachabilityMatrix, opts: MatrixRenderOptions = {}): string {
  const sel = selectMatrix(matrix, opts);
  const nodes: GraphNode[] = [
    ...sel.workloads.map((w) => ({ id: w.id, label: `${w.name}[${w.kind}]`, namespace: w.namespace, external: false })),
    // IP ranges in words: a range's CIDR list (its id) may be long.
    ...sel.ipRanges.map((r) => ({ id: r.id, label: describeIps(r.set), external: true })),
  ];
  const edges = sel.connections.map((c) => ({
    from: c.src.id,
    to: c.dst.id,
    label: c.ports.toShortString(),
    style: 'solid' as const,
  }));
  const side = summarizeCluster(matrix.cluster);
  const comments = [
    `netpol matrix${opts.namespace === undefined ? '' : ` (namespace ${opts.namespace})`}: ${edges.length} connections`,
    `analysed: ${describeSideCounts(side)}`,
    ...describeSkipped(side).map((s) => `skipped: ${s}`),
    ...matrix.cluster.diagnostics.map((d) => `${d.severity}: ${d.file}:${d.line}: ${d.message}`),
  ];
  return dotGraph({ nodes, edges }, comments);
}
