import { IpSet } from '../engine/ipSet.js';
import { attributionKey } from './attributionList.js';
import type { MemberDelta } from './deltaTypes.js';
import type { Attribution } from './types.js';

/** Address atoms with the same workload on the other side, the same ports and the same anchor become one set. */
export function mergeAtoms(deltas: readonly MemberDelta[]): MemberDelta[] {
  const out: MemberDelta[] = [];
  type Merged = { d: MemberDelta; ips: IpSet[]; attribution: Map<string, Attribution> };
  const merged = new Map<string, Merged>();
  // Attributions are shared objects (see createAttributor): each keyed once.
  const keys = new Map<Attribution, string>();
  const keyOf = (a: Attribution): string => {
    let k = keys.get(a);
    if (k === undefined) keys.set(a, (k = attributionKey(a)));
    return k;
  };
  // Deltas of one group mostly come in a row (the atoms of one workload's row or column): the last group is
  // tried first, by its parts, before a key is built.
  let last: { readonly ipSide: 'src' | 'dst'; readonly other: string; readonly ports: MemberDelta['ports']; readonly anchor: MemberDelta['anchor']; readonly m: Merged } | undefined;
  for (const d of deltas) {
    const ipSide = d.src.ips ? 'src' : d.dst.ips ? 'dst' : undefined;
    if (!ipSide) {
      out.push(d);
      continue;
    }
    const other = ipSide === 'src' ? d.dst.id : d.src.id;
    let m: Merged | undefined;
    if (last && last.ipSide === ipSide && last.other === other && last.ports === d.ports && last.anchor === d.anchor) m = last.m;
    else {
      const key = `${ipSide}|${other}|${d.ports.key()}|${d.anchor}`;
      m = merged.get(key);
      if (!m) merged.set(key, (m = { d, ips: [], attribution: new Map() }));
      last = { ipSide, other, ports: d.ports, anchor: d.anchor, m };
    }
    m.ips.push((ipSide === 'src' ? d.src.ips : d.dst.ips)!);
    for (const a of d.attribution) m.attribution.set(keyOf(a), a);
  }
  for (const { d, ips: parts, attribution } of merged.values()) {
    const ips = unionInOrder(parts);
    const ipEnd = { id: ips.toString(), ips };
    out.push({
      ...d,
      src: d.src.ips ? ipEnd : d.src,
      dst: d.dst.ips ? ipEnd : d.dst,
      attribution: [...attribution.values()],
    });
  }
  return out;
}

/**
 * IpSet.unionAll of sets that mostly come in address order (the atoms of one row or column, met in order): the
 * intervals are merged as they come, with no sort of thousands of intervals by their big-integer bounds; the
 * same set (in the same canonical form). Sets out of order are left to unionAll.
 */
export function unionInOrder(sets: readonly IpSet[]): IpSet {
  if (sets.length < 2) return IpSet.unionAll(sets);
  // The canonical form of the intervals so far (sorted, disjoint, not adjacent). An interval that starts at or
  // after the last one's start can only meet the last one: merged into it, or added after it.
  const out: [bigint, bigint][] = [];
  for (const set of sets) {
    for (const [a, b] of set.intervals) {
      if (a > b) continue;
      const last = out[out.length - 1];
      if (last === undefined) out.push([a, b]);
      else if (a < last[0]) return IpSet.unionAll(sets);
      else if (a <= last[1] + 1n) {
        if (b > last[1]) last[1] = b;
      } else out.push([a, b]);
    }
  }
  return IpSet.fromIntervals(out);
}
