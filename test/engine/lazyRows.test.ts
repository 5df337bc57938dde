// A matrix built from scratch writes a class's rows when first read (the CLI's base matrix has thousands of
// rows, of which a diff reads a few hundred): every answer, read in any order, must be the one of a matrix
// that wrote all its rows at once.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { borrowedRows, clearMatrixCache, computeMatrix, setLazyRows, type ReachabilityMatrix } from '../../src/engine/matrix.js';
import type { Cluster } from '../../src/manifests/model.js';
import { clusterArb, clusterChangeArb, clusterWithAdminArb } from '../helpers/arbitraries.js';
import { shareRecords } from '../helpers/shareRecords.js';

afterEach(() => {
  setLazyRows(true);
});

function build(c: Cluster, lazy: boolean): ReachabilityMatrix {
  const was = setLazyRows(lazy);
  try {
    return computeMatrix(c, { reuse: false });
  } finally {
    setLazyRows(was);
  }
}

/** Every cell (egress, ingress, allowed) of every pair, as text, with the pairs visited in `order`. */
function cells(m: ReachabilityMatrix, order: 'rows' | 'columns' | 'reversed'): Map<string, string> {
  const n = m.endpoints.length;
  const out = new Map<string, string>();
  const visit = (s: number, d: number): void => {
    const [src, dst] = [m.endpoints[s]!, m.endpoints[d]!];
    out.set(`${src.id}>${dst.id}`, `${m.egressAllowed(src, dst).toString()}|${m.ingressAllowed(src, dst).toString()}|${m.allowed(src, dst).toString()}`);
  };
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (order === 'rows') visit(a, b);
      else if (order === 'columns') visit(b, a);
      else visit(n - 1 - a, n - 1 - b);
    }
  }
  return out;
}

function sameAsEager(c: Cluster, order: 'rows' | 'columns' | 'reversed'): void {
  const eager = build(c, false);
  const lazy = build(c, true);
  const want = cells(eager, 'rows');
  const got = cells(lazy, order);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [k, v] of want) expect(got.get(k), k).toBe(v);
  const list = (m: ReachabilityMatrix) => m.connections().map((x) => `${x.src.id}>${x.dst.id}:${x.ports.toString()}`);
  expect(list(lazy)).toEqual(list(eager));
}

describe('rows written when first read', () => {
  it('answer as rows written at once, on random clusters, whatever the order they are read in', () => {
    fc.assert(
      fc.property(clusterArb, fc.constantFrom('rows' as const, 'columns' as const, 'reversed' as const), (c, order) => sameAsEager(c, order)),
      { numRuns: 200 },
    );
  });

  it('with admin tiers (which read the NetworkPolicy rows while the matrix is built)', () => {
    fc.assert(
      fc.property(clusterWithAdminArb, fc.constantFrom('rows' as const, 'reversed' as const), (c, order) => sameAsEager(c, order)),
      { numRuns: 150 },
    );
  });

  it('a head that borrows from a lazy prior answers as one built on an eager prior', () => {
    let borrowed = 0;
    fc.assert(
      fc.property(clusterChangeArb, ({ base, head }) => {
        const shared = shareRecords(base, head);
        const answers = (lazy: boolean): Map<string, string> => {
          const was = setLazyRows(lazy);
          try {
            clearMatrixCache();
            computeMatrix(base);
            const m = computeMatrix(shared);
            borrowed += borrowedRows(m);
            return cells(m, 'columns');
          } finally {
            setLazyRows(was);
            clearMatrixCache();
          }
        };
        expect(answers(true)).toEqual(answers(false));
      }),
      { numRuns: 150 },
    );
    // The heads did borrow (else this would only compare builds from scratch).
    expect(borrowed).toBeGreaterThan(0);
  });
});

