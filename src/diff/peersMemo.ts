import { nodeEndpoints, portIds, type Endpoint, type ReachabilityMatrix } from '../engine/matrix.js';
import type { PortSet } from '../engine/portSet.js';
import { PortSetTable } from '../engine/portSetTable.js';
import type { Workload } from '../manifests/model.js';

export type Peers = ReturnType<ReachabilityMatrix['peersOf']>;

/**
 * `matrix.peersOf` answers kept for one diff: the grouped lines, the lines of added and removed workloads and
 * the isolation lines ask for the same workloads' peers several times, and each answer is a scan of every
 * node of the matrix. Keyed per matrix by the workload's node (workloads alike share one answer) and side.
 * Answers are shared: callers must not modify them.
 */
export class PeersMemo {
  private readonly byMatrix = new Map<ReachabilityMatrix, Map<number, Peers>>();

  peersOf(m: ReachabilityMatrix, w: Workload, side: 'from' | 'to'): Peers {
    const self = m.endpoint(w.id);
    // Only the matrix's own workload objects are keyed by node; anything else is asked directly.
    if (!self || self.kind !== 'workload' || self.workload !== w) return m.peersOf(w, side);
    let memo = this.byMatrix.get(m);
    if (!memo) {
      memo = new Map();
      this.byMatrix.set(m, memo);
    }
    const key = m.nodeOf(self) * 2 + (side === 'from' ? 0 : 1);
    let peers = memo.get(key);
    if (!peers) {
      peers = scan(m, m.nodeOf(self), side) ?? m.peersOf(w, side);
      memo.set(key, peers);
    }
    return peers;
  }
}

/**
 * matrix.peersOf by reading the workload's own line first (its ingress for 'from', its egress for 'to': one
 * row, read in one loop), and the other direction only where that line allows something: a default-deny
 * cluster's lines allow few peers, and the other direction is a read of another node's row per cell.
 * Undefined for a matrix not made by computeMatrix.
 */
function scan(m: ReachabilityMatrix, self: number, side: 'from' | 'to'): Peers | undefined {
  const ids = portIds(m);
  if (!ids) return undefined;
  const own = side === 'from' ? ids.ingressLine(self) : ids.egressLine(self);
  const out: { endpoints: readonly Endpoint[]; ports: PortSet }[] = [];
  for (let node = 0; node < own.length; node++) {
    const first = own[node]!;
    if (first === PortSetTable.EMPTY) continue;
    const id = ids.table.intersect(first, side === 'from' ? ids.egress(node, self) : ids.ingress(self, node));
    if (id === PortSetTable.EMPTY) continue;
    const endpoints = nodeEndpoints(m, node);
    if (!endpoints) return undefined;
    out.push({ endpoints, ports: ids.table.get(id) });
  }
  return out;
}
