// Atoms of two partitions that share range objects (a matrix reuses its prior's ranges, or refines them by a
// new block) must be the atoms of the same partitions with nothing shared.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitionAddressSpace, type IpRange } from '../../src/engine/ipPartition.js';
import { IpSet } from '../../src/engine/ipSet.js';
import { ipAtoms } from '../../src/diff/ipAtoms.js';

const CIDRS = ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '192.168.0.0/16', '172.16.0.0/12', '::/0', 'fc00::/7', '8.8.8.8/32', '0.0.0.0/1'];
const blockArb = fc.tuple(fc.constantFrom(...CIDRS), fc.subarray(CIDRS, { maxLength: 2 })).map(([cidr, except]) => {
  let s = IpSet.fromCidr(cidr);
  for (const e of except) s = s.subtract(IpSet.fromCidr(e));
  return s;
});

const copy = (ranges: readonly IpRange[]): IpRange[] => ranges.map((r) => ({ ...r, set: IpSet.fromIntervals(r.set.intervals) }));
const show = (atoms: ReturnType<typeof ipAtoms>) => atoms.map((a) => `${a.set.toString()}|${a.base.id}|${a.head.id}`);

describe('ipAtoms with ranges shared by both sides', () => {
  it('equals the atoms of unshared copies', () => {
    fc.assert(
      fc.property(fc.array(blockArb, { maxLength: 5 }), fc.array(blockArb, { maxLength: 3 }), (blocks, more) => {
        const base = partitionAddressSpace(blocks);
        const full = partitionAddressSpace([...blocks, ...more]);
        // The head: the base's range objects wherever the finer partition kept a range as it was.
        const byId = new Map(base.map((r) => [r.id, r]));
        const head = full.map((r) => byId.get(r.id) ?? r);
        expect(show(ipAtoms(base, head))).toEqual(show(ipAtoms(copy(base), copy(head))));
        expect(show(ipAtoms(head, base))).toEqual(show(ipAtoms(copy(head), copy(base))));
        expect(show(ipAtoms(base, base))).toEqual(show(ipAtoms(copy(base), copy(base))));
        // Positions name the ranges (the diff reads nodes and endpoints by them).
        for (const [a, b] of [[base, head], [head, base], [base, base]] as const) {
          for (const atom of ipAtoms(a, b)) {
            expect(a[atom.baseAt]).toBe(atom.base);
            expect(b[atom.headAt]).toBe(atom.head);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
