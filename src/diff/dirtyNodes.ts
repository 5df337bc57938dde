import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { JointNode } from './deltaTypes.js';
import { compiledPolicy, type ObjectChanges } from './objectChanges.js';

/**
 * The joint nodes whose rows (as a source) or columns (as a destination) a change can touch: workloads a
 * changed NetworkPolicy selects on either side (egress: as sources; ingress: as destinations), and
 * workloads whose labels, ports, hostNetwork flag or namespace labels changed (both).
 *
 * `both` holds the nodes that are dirty for every reason at once (changed labels, ports, hostNetwork or
 * namespace labels; every workload node when the comparison is exhaustive or an admin policy changed): what
 * other workloads' policies decide about them may change too. A node in `src` but not in `both` is dirty only
 * because its egress policies changed: what a clean destination's ingress policies allow from it is the same
 * on both sides. Likewise for `dst` and ingress.
 */
export function dirtyNodes(
  nodes: readonly JointNode[],
  base: ReachabilityMatrix,
  head: ReachabilityMatrix,
  changes: ObjectChanges,
  exhaustive: boolean,
): { src: Set<JointNode>; dst: Set<JointNode>; both: Set<JointNode> } {
  const workloadNodes = nodes.filter((n): n is JointNode & { kind: 'workloads' } => n.kind === 'workloads');
  if (exhaustive || changes.adminPolicies.length > 0) {
    return { src: new Set(workloadNodes), dst: new Set(workloadNodes), both: new Set(workloadNodes) };
  }
  const src = new Set<JointNode>();
  const dst = new Set<JointNode>();
  const both = new Set<JointNode>();
  // Namespaces where something changed: the workloads of the others are clean (one lookup each).
  const touched = new Set([...changes.policiesByNamespace.keys(), ...changes.namespaces.keys()]);
  for (const c of changes.workloads.values()) touched.add(c.head.namespace);
  for (const n of workloadNodes) {
    const { base: b, head: h } = n.members[0]!;
    if (!touched.has(h.namespace)) continue;
    if (changes.workloads.has(h.id) || changes.namespaces.has(h.namespace)) {
      src.add(n);
      dst.add(n);
      both.add(n);
      continue;
    }
    for (const c of changes.policiesByNamespace.get(h.namespace) ?? []) {
      for (const [cp, w] of [[compiledPolicy(base, c, 'base'), b], [compiledPolicy(head, c, 'head'), h]] as const) {
        if (!cp || !cp.selects(w)) continue;
        if (cp.policy.affectsEgress) src.add(n);
        if (cp.policy.affectsIngress) dst.add(n);
      }
    }
  }
  return { src, dst, both };
}
