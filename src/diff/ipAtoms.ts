import type { IpRange } from '../engine/ipPartition.js';
import { IpSet, type IpInterval } from '../engine/ipSet.js';

/** A set of addresses that lies inside one range of the base partition and one range of the head partition. */
export interface IpAtom {
  readonly set: IpSet;
  readonly base: IpRange;
  readonly head: IpRange;
}

/**
 * The common refinement of two partitions of the address space, so that IP ranges are compared as address
 * sets: every atom is treated alike by every policy on both sides. Two-pointer merge over the ranges'
 * intervals, O(intervals).
 */
export function ipAtoms(base: readonly IpRange[], head: readonly IpRange[]): IpAtom[] {
  // A matrix may share its prior's ranges (all of them, or all but those a new block split): a range on both
  // sides is an atom itself, and the others cover the same addresses on both sides.
  if (base === head) return base.map((r) => ({ set: r.set, base: r, head: r }));
  const inHead = new Set(head);
  const shared = new Set(base.filter((r) => inHead.has(r)));
  if (shared.size === 0) return sweep(base, head);
  const atoms = [
    ...[...shared].map((r) => ({ set: r.set, base: r, head: r })),
    ...sweep(
      base.filter((r) => !shared.has(r)),
      head.filter((r) => !shared.has(r)),
    ),
  ];
  // In address order of their first address, as the sweep gives them.
  return atoms.sort((x, y) => {
    const a = x.set.intervals[0]![0];
    const b = y.set.intervals[0]![0];
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function sweep(base: readonly IpRange[], head: readonly IpRange[]): IpAtom[] {
  const flatten = (ranges: readonly IpRange[]) =>
    ranges
      .flatMap((r, i) => r.set.intervals.map((iv) => ({ iv, i })))
      .sort((a, b) => (a.iv[0] < b.iv[0] ? -1 : a.iv[0] > b.iv[0] ? 1 : 0));
  const a = flatten(base);
  const b = flatten(head);
  const pieces = new Map<string, { bi: number; hi: number; ivs: IpInterval[] }>();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const lo = x.iv[0] > y.iv[0] ? x.iv[0] : y.iv[0];
    const hi = x.iv[1] < y.iv[1] ? x.iv[1] : y.iv[1];
    if (lo <= hi) {
      const key = `${x.i}:${y.i}`;
      const p = pieces.get(key);
      if (p) p.ivs.push([lo, hi]);
      else pieces.set(key, { bi: x.i, hi: y.i, ivs: [[lo, hi]] });
    }
    if (x.iv[1] < y.iv[1]) i++;
    else j++;
  }
  return [...pieces.values()].map((p) => ({
    set: IpSet.fromIntervals(p.ivs),
    base: base[p.bi]!,
    head: head[p.hi]!,
  }));
}
