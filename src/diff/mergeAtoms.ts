import { IpSet } from '../engine/ipSet.js';
import { attributionKey } from './attributionList.js';
import type { MemberDelta } from './deltaTypes.js';
import type { Attribution } from './types.js';

/** Address atoms with the same workload on the other side, the same ports and the same anchor become one set. */
export function mergeAtoms(deltas: readonly MemberDelta[]): MemberDelta[] {
  const out: MemberDelta[] = [];
  const merged = new Map<string, { d: MemberDelta; ips: IpSet[]; attribution: Map<string, Attribution> }>();
  for (const d of deltas) {
    const ipSide = d.src.ips ? 'src' : d.dst.ips ? 'dst' : undefined;
    if (!ipSide) {
      out.push(d);
      continue;
    }
    const other = ipSide === 'src' ? d.dst.id : d.src.id;
    const key = `${ipSide}|${other}|${d.ports.key()}|${d.anchor}`;
    const m = merged.get(key);
    const ips = (ipSide === 'src' ? d.src.ips : d.dst.ips)!;
    if (m) {
      m.ips.push(ips);
      for (const a of d.attribution) m.attribution.set(attributionKey(a), a);
    } else merged.set(key, { d, ips: [ips], attribution: new Map(d.attribution.map((a) => [attributionKey(a), a])) });
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
