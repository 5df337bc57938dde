// What a matrix renderer shows: every connection, or with `namespace` only those touching that namespace
// (as source or destination). Shared so every format lists exactly the same rows.
import type { Connection, ReachabilityMatrix } from '../engine/matrix.js';
import type { IpRange } from '../engine/ipPartition.js';
import type { Workload } from '../manifests/model.js';

export interface MatrixRenderOptions {
  /** Only connections whose source or destination workload is in this namespace. */
  readonly namespace?: string;
}

export interface MatrixSelection {
  readonly connections: readonly Connection[];
  /** Sorted by id. With a namespace: the namespace's workloads plus every peer of a listed connection. */
  readonly workloads: readonly Workload[];
  /** In address order. With a namespace: only ranges that appear in a listed connection. */
  readonly ipRanges: readonly IpRange[];
}

export function selectMatrix(matrix: ReachabilityMatrix, opts: MatrixRenderOptions = {}): MatrixSelection {
  const ns = opts.namespace;
  const all = matrix.connections();
  if (ns === undefined) {
    return { connections: all, workloads: sortById(matrix.workloads), ipRanges: matrix.ipRanges };
  }
  const inNs = (e: Connection['src']) => e.kind === 'workload' && e.workload.namespace === ns;
  const connections = all.filter((c) => inNs(c.src) || inNs(c.dst));
  const used = new Set<string>();
  for (const c of connections) used.add(c.src.id).add(c.dst.id);
  return {
    connections,
    workloads: sortById(matrix.workloads.filter((w) => w.namespace === ns || used.has(w.id))),
    ipRanges: matrix.ipRanges.filter((r) => used.has(r.id)),
  };
}

function sortById(ws: readonly Workload[]): Workload[] {
  return [...ws].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
