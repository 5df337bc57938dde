import type { IpRange } from '../engine/ipPartition.js';
import { IpSet, type IpInterval } from '../engine/ipSet.js';
import { alignRecords } from './sharedRecords.js';

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
  // The shared ranges, found by a walk of both lists comparing objects (both are in address order).
  const aligned = alignRecords(base, head);
  const shared: IpAtom[] = [];
  for (let k = 0; k < head.length; k++) {
    const i = aligned.matchInA[k]!;
    if (i >= 0) shared.push({ set: head[k]!.set, base: base[i]!, head: head[k]!, baseAt: i, headAt: k });
  }
  const swept = sweep(base, aligned.onlyAIndex, head, aligned.onlyBIndex);
  if (shared.length === 0) return swept;
  // Shared atoms are ranges, in the partition's address order; the few swept atoms are met in address order
  // by the sweep: each is placed among the shared ones by a binary search (no comparison of every atom's big
  // integer bounds).
  const first = (a: IpAtom): bigint => a.set.intervals[0]![0];
  const sorted = (xs: readonly IpAtom[]): boolean => xs.every((x, k) => k === 0 || first(xs[k - 1]!) < first(x));
  if (!sorted(swept)) return [...shared, ...swept].sort((x, y) => (first(x) < first(y) ? -1 : first(x) > first(y) ? 1 : 0));
  const out: IpAtom[] = [];
  let i = 0;
  for (const atom of swept) {
    const f = first(atom);
    let lo = i;
    let hi = shared.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (first(shared[mid]!) < f) lo = mid + 1;
      else hi = mid;
    }
    while (i < lo) out.push(shared[i++]!);
    out.push(atom);
  }
  while (i < shared.length) out.push(shared[i++]!);
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
