import type { IpRange } from '../engine/ipPartition.js';
import { IpSet, type IpInterval } from '../engine/ipSet.js';

/** A set of addresses that lies inside one range of the base partition and one range of the head partition. */
export interface IpAtom {
  readonly set: IpSet;
  readonly base: IpRange;
  readonly head: IpRange;
  /** The positions of `base` and `head` in their partitions (a matrix's node of a range follows from it). */
  readonly baseAt: number;
  readonly headAt: number;
}

/**
 * The common refinement of two partitions of the address space, so that IP ranges are compared as address
 * sets: every atom is treated alike by every policy on both sides. Two-pointer merge over the ranges'
 * intervals, O(intervals). Atoms come in address order of their first address.
 */
export function ipAtoms(base: readonly IpRange[], head: readonly IpRange[]): IpAtom[] {
  // A matrix may share its prior's ranges (all of them, or all but those a new block split): a range on both
  // sides is an atom itself, and the others cover the same addresses on both sides.
  if (base === head) return base.map((r, i) => ({ set: r.set, base: r, head: r, baseAt: i, headAt: i }));
  const inHead = new Map<IpRange, number>();
  head.forEach((r, i) => inHead.set(r, i));
  const shared: IpAtom[] = [];
  const restBase: number[] = [];
  const sharedHead = new Uint8Array(head.length);
  base.forEach((r, i) => {
    const k = inHead.get(r);
    if (k === undefined) restBase.push(i);
    else {
      shared.push({ set: r.set, base: r, head: r, baseAt: i, headAt: k });
      sharedHead[k] = 1;
    }
  });
  const restHead: number[] = [];
  for (let k = 0; k < head.length; k++) if (sharedHead[k] === 0) restHead.push(k);
  const swept = sweep(base, restBase, head, restHead);
  if (shared.length === 0) return swept;
  // Both lists are in address order of their first address (ranges are; the sweep meets atoms in that
  // order), and atoms are disjoint: merged.
  const first = (a: IpAtom): bigint => a.set.intervals[0]![0];
  const sorted = (xs: readonly IpAtom[]): boolean => xs.every((x, k) => k === 0 || first(xs[k - 1]!) < first(x));
  if (!sorted(shared) || !sorted(swept)) return [...shared, ...swept].sort((x, y) => (first(x) < first(y) ? -1 : first(x) > first(y) ? 1 : 0));
  const out: IpAtom[] = [];
  let i = 0;
  let j = 0;
  while (i < shared.length && j < swept.length) out.push(first(shared[i]!) < first(swept[j]!) ? shared[i++]! : swept[j++]!);
  while (i < shared.length) out.push(shared[i++]!);
  while (j < swept.length) out.push(swept[j++]!);
  return out;
}

/** The atoms of the ranges of `base` and `head` at the given positions (which cover the same addresses). */
function sweep(base: readonly IpRange[], baseAt: readonly number[], head: readonly IpRange[], headAt: readonly number[]): IpAtom[] {
  const flatten = (ranges: readonly IpRange[], at: readonly number[]) =>
    at
      .flatMap((i) => ranges[i]!.set.intervals.map((iv) => ({ iv, i })))
      .sort((a, b) => (a.iv[0] < b.iv[0] ? -1 : a.iv[0] > b.iv[0] ? 1 : 0));
  const a = flatten(base, baseAt);
  const b = flatten(head, headAt);
  const pieces = new Map<number, { bi: number; hi: number; ivs: IpInterval[] }>();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const lo = x.iv[0] > y.iv[0] ? x.iv[0] : y.iv[0];
    const hi = x.iv[1] < y.iv[1] ? x.iv[1] : y.iv[1];
    if (lo <= hi) {
      const key = x.i * head.length + y.i;
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
    baseAt: p.bi,
    headAt: p.hi,
  }));
}
