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
