// Atoms merged into one set of addresses: merging intervals as they come (in address order, mostly) must give
// exactly IpSet.unionAll's set, in the same canonical form, whatever the order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IpSet } from '../../src/engine/ipSet.js';
import { unionInOrder } from '../../src/diff/mergeAtoms.js';

const setArb = fc
  .array(fc.tuple(fc.bigInt({ min: 0n, max: 200n }), fc.bigInt({ min: 0n, max: 12n })), { minLength: 1, maxLength: 4 })
  .map((ivs) => IpSet.fromIntervals(ivs.map(([a, len]) => [a, a + len] as [bigint, bigint])));

describe('unionInOrder', () => {
  it('is unionAll, for sets in address order or not', () => {
    fc.assert(
      fc.property(fc.array(setArb, { maxLength: 12 }), fc.boolean(), (sets, ordered) => {
        const first = (s: IpSet) => s.intervals[0]![0];
        const list = ordered ? [...sets].sort((x, y) => (first(x) < first(y) ? -1 : first(x) > first(y) ? 1 : 0)) : sets;
        const got = unionInOrder(list);
        expect(got.intervals).toStrictEqual(IpSet.unionAll(list).intervals);
      }),
      { numRuns: 1000 },
    );
  });

  it('adjacent atoms become one interval', () => {
    const atoms = [0n, 10n, 20n, 30n].map((a) => IpSet.fromIntervals([[a, a + 9n]]));
    expect(unionInOrder(atoms).intervals).toStrictEqual([[0n, 39n]]);
  });
});
