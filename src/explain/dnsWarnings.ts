import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { NetworkPolicy } from '../manifests/model.js';
import { listIds } from './listIds.js';
import { locateInPolicy } from './locate.js';
import type { Warning } from './types.js';

/**
 * Workloads isolated for egress whose policies allow no DNS (UDP or TCP 53) to anywhere: their name lookups
 * fail, which is rarely meant. One warning per set of isolating policies, on the first of them.
 */
export function dnsWarnings(matrix: ReachabilityMatrix): Warning[] {
  const groups = new Map<string, { policies: readonly NetworkPolicy[]; workloads: string[] }>();
  for (const w of matrix.workloads) {
    const policies = matrix.isolation(w).egress;
    if (policies.length === 0) continue;
    const key = policies.map((p) => p.id).join('\u0000');
    const g = groups.get(key);
    if (g) g.workloads.push(w.id);
    else groups.set(key, { policies, workloads: [w.id] });
  }
  const out: Warning[] = [];
  for (const { policies, workloads } of groups.values()) {
    if (policies.some((p) => allowsDns(matrix, p))) continue;
    const first = policies[0]!;
    const who = workloads.length === 1 ? `${workloads[0]} is` : `${listIds(workloads)} are`;
    out.push({
      code: 'egress-without-dns',
      policy: first.id,
      direction: 'egress',
      ...locateInPolicy(matrix.cluster, first, ['spec', 'egress']),
      message: `${who} isolated for egress by ${policies.map((p) => p.id).join(', ')}, and no egress rule allows DNS (UDP or TCP 53): name lookups will fail`,
    });
  }
  return out;
}

/** Port 53 to some destination: an address (numeric ports) or a workload (named ports resolve there). */
function allowsDns(matrix: ReachabilityMatrix, policy: NetworkPolicy): boolean {
  const cp = matrix.compiled.policy(policy.id)!;
  const dns = (s: ReturnType<(typeof cp.egress)[number]['portsFor']>) => s.has('UDP', 53) || s.has('TCP', 53);
  return cp.egress.some(
    (r) => dns(r.portsFor(null)) || (r.namedPorts.length > 0 && matrix.workloads.some((w) => r.matchesPod(w) && dns(r.portsFor(w)))),
  );
}
