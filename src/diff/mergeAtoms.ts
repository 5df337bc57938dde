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
  // (Indexed loops: thousands of deltas, first met in code V8 has not optimised, where a for-of makes an
  // object per step.)
  for (let x = 0; x < deltas.length; x++) {
    const d = deltas[x]!;
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
    const attribution = d.attribution;
    for (let k = 0; k < attribution.length; k++) m.attribution.set(keyOf(attribution[k]!), attribution[k]!);
  }
  for (const { d, ips: parts, attribution } of merged.values()) {
    const ips = IpSet.unionAll(parts);
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
