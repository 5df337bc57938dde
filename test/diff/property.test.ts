// Properties of the diff on random cluster pairs: diff(A, A) is empty; diff(A, B).opened equals
// diff(B, A).closed (and vice versa), pair for pair.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setContributionMemo } from '../../src/diff/attribute.js';
import { diffMatrices } from '../../src/diff/diffMatrices.js';
import { computeMatrix } from '../../src/engine/matrix.js';
import { clusterArb, clusterChangeArb } from '../helpers/arbitraries.js';

describe('diff properties', () => {
  it('diff(A, A) is empty', () => {
    fc.assert(
      fc.property(clusterArb, (a) => {
        const d = diffMatrices(computeMatrix(a), computeMatrix(a));
        expect(d.opened).toEqual([]);
        expect(d.closed).toEqual([]);
        expect(d.lines).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('diff(A, B).opened = diff(B, A).closed and diff(A, B).closed = diff(B, A).opened', () => {
    fc.assert(
      fc.property(clusterArb, clusterArb, (a, b) => {
        const ma = computeMatrix(a);
        const mb = computeMatrix(b);
        const ab = diffMatrices(ma, mb);
        const ba = diffMatrices(mb, ma);
        expect(ab.opened).toEqual(ba.closed);
        expect(ab.closed).toEqual(ba.opened);
      }),
      { numRuns: 200 },
    );
  });

  it('every opened/closed pair is accounted for by some summary line', () => {
    fc.assert(
      fc.property(clusterArb, clusterArb, (a, b) => {
        const d = diffMatrices(computeMatrix(a), computeMatrix(b));
        const inLines = new Set(d.lines.flatMap((l) => l.pairs.map((p) => `${p.src}>${p.dst}`)));
        for (const p of [...d.opened, ...d.closed]) expect(inLines.has(`${p.src}>${p.dst}`)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the dirty-pair shortcut', () => {
  it('comparing only the pairs a change can touch gives exactly the exhaustive diff', () => {
    fc.assert(
      fc.property(clusterChangeArb, ({ base, head }) => {
        const mb = computeMatrix(base);
        const mh = computeMatrix(head);
        expect(diffMatrices(mb, mh)).toEqual(diffMatrices(mb, mh, { exhaustive: true }));
      }),
      { numRuns: 300 },
    );
  });

  it('attributions of pairs with an address end are those computed pair by pair', () => {
    // createAttributor keeps what a policy contributes to a pair with an address end by which of its rules
    // match the addresses: every diff must equal the one that computes each contribution.
    fc.assert(
      fc.property(clusterChangeArb, ({ base, head }) => {
        const mb = computeMatrix(base);
        const mh = computeMatrix(head);
        const memo = diffMatrices(mb, mh);
        const was = setContributionMemo(false);
        try {
          expect(memo).toEqual(diffMatrices(mb, mh));
        } finally {
          setContributionMemo(was);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('joint nodes built from public class lookups (a matrix without class positions) give the same diff', () => {
    fc.assert(
      fc.property(clusterChangeArb, ({ base, head }) => {
        const mb = computeMatrix(base);
        const mh = computeMatrix(head);
        // A copy of the public interface: workloadClasses has no positions for it, so the joint nodes are
        // keyed through classOf / nodeOf instead of the class arrays.
        expect(diffMatrices({ ...mb }, { ...mh })).toEqual(diffMatrices(mb, mh));
      }),
      { numRuns: 500 },
    );
  });
});
