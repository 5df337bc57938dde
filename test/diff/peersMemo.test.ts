// The diff's memo of matrix.peersOf: one scan per (matrix, node, side), the same answers as asking directly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PeersMemo } from '../../src/diff/peersMemo.js';
import { computeMatrix, type ReachabilityMatrix } from '../../src/engine/matrix.js';
import { clusterChangeArb } from '../helpers/arbitraries.js';
import { cluster, policy, pods, sel, tcp, workload } from '../helpers/model.js';

function counting(m: ReachabilityMatrix): { m: ReachabilityMatrix; calls: () => number } {
  let n = 0;
  const peersOf: ReachabilityMatrix['peersOf'] = (w, side) => {
    n++;
    return m.peersOf(w, side);
  };
  return { m: { ...m, peersOf }, calls: () => n };
}

describe('PeersMemo', () => {
  const c = cluster({
    workloads: [workload('x/a1', { app: 'a' }), workload('x/a2', { app: 'a' }), workload('x/b', { app: 'b' })],
    policies: [policy('x/p', { podSelector: sel({ app: 'b' }), ingress: [{ peers: [pods(sel({ app: 'a' }))], ports: [tcp(80)] }] })],
  });

  it('answers as matrix.peersOf, asking once per node and side', () => {
    const { m, calls } = counting(computeMatrix(c));
    const memo = new PeersMemo();
    const [a1, a2, b] = m.workloads;
    for (const w of [a1!, a2!, b!, a1!, b!]) {
      for (const side of ['from', 'to'] as const) expect(memo.peersOf(m, w, side)).toEqual(m.peersOf(w, side));
    }
    // 10 direct calls above, plus one per (node, side): a1 and a2 share a node.
    expect(calls()).toBe(10 + 4);
  });

  it('keeps matrices apart and asks directly for a workload that is not the matrix own object', () => {
    const one = counting(computeMatrix(c));
    const two = counting(computeMatrix(cluster({ workloads: [...c.workloads], policies: [] })));
    const memo = new PeersMemo();
    const b = one.m.workloads[2]!;
    expect(memo.peersOf(one.m, b, 'from')).toEqual(one.m.peersOf(b, 'from'));
    expect(memo.peersOf(two.m, two.m.workloads[2]!, 'from')).toEqual(two.m.peersOf(two.m.workloads[2]!, 'from'));
    const copy = { ...b };
    expect(() => memo.peersOf(one.m, copy, 'from')).toThrow();
    expect(one.calls()).toBe(3);
    expect(two.calls()).toBe(2);
  });

  it('scans a matrix by its own lines as matrix.peersOf does (also a head that borrows its base rows)', () => {
    fc.assert(
      fc.property(clusterChangeArb, ({ base, head }) => {
        const mb = computeMatrix(base);
        const mh = computeMatrix(head);
        const memo = new PeersMemo();
        for (const m of [mb, mh]) {
          for (const w of m.workloads) for (const side of ['from', 'to'] as const) expect(memo.peersOf(m, w, side)).toEqual(m.peersOf(w, side));
        }
      }),
      { numRuns: 200 },
    );
  });
});
