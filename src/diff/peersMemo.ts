import type { ReachabilityMatrix } from '../engine/matrix.js';
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
      peers = m.peersOf(w, side);
      memo.set(key, peers);
    }
    return peers;
  }
}
