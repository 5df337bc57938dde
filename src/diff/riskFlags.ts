import { IpSet, NON_PUBLIC } from '../engine/ipSet.js';
import type { Workload } from '../manifests/model.js';
import type { Risk, RiskFlag } from './types.js';

/** Why a line is risky: addresses outside the cluster (public or not, as sources or destinations), namespaces crossed. */
export function riskFlags(
  anchorSide: 'dst' | 'src',
  anchor: { workload?: Workload; ips?: IpSet },
  others: readonly { workload?: Workload; ips?: IpSet }[],
): RiskFlag[] {
  const flags = new Set<RiskFlag>();
  const ips = IpSet.unionAll([...(anchor.ips ? [anchor.ips] : []), ...others.flatMap((e) => (e.ips ? [e.ips] : []))]);
  const ipsAreSources = anchorSide === 'dst' ? others.some((o) => o.ips) : Boolean(anchor.ips);
  if (!ips.isEmpty()) {
    const isPublic = !ips.subtract(NON_PUBLIC).isEmpty();
    if (ipsAreSources) {
      flags.add('from-outside-cluster');
      if (isPublic) flags.add('from-internet');
      if (ips.coversFamily('IPv4') || ips.coversFamily('IPv6')) flags.add('from-everywhere');
    } else {
      flags.add('to-outside-cluster');
      if (isPublic) flags.add('to-internet');
    }
  }
  if (anchor.workload && others.some((o) => o.workload && o.workload.namespace !== anchor.workload!.namespace)) {
    flags.add('cross-namespace');
  }
  return [...flags];
}

export function openedRisk(flags: readonly RiskFlag[]): Risk {
  if (flags.includes('from-internet')) return 'critical';
  if (flags.includes('from-outside-cluster') || flags.includes('cross-namespace') || flags.includes('to-internet')) return 'high';
  if (flags.includes('to-outside-cluster')) return 'medium';
  return 'low';
}
