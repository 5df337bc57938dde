import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { Workload } from '../manifests/model.js';
import { compiledPolicy, type ObjectChanges } from './objectChanges.js';

/**
 * The workload joint nodes whose rows (as a source) or columns (as a destination) a change can touch:
 * workloads a changed NetworkPolicy selects on either side (egress: as sources; ingress: as destinations),
 * and workloads whose labels, ports, hostNetwork flag or namespace labels changed (both).
 *
 * Per node (by index below `count`, each read through its first member on both sides), as a source (`src`)
 * and as a destination (`dst`): 0 clean; 2 dirty for every reason at once (changed labels, ports,
 * hostNetwork or namespace labels; every workload node when the comparison is exhaustive or an admin policy
 * changed): what other workloads' policies decide about it may change too; 1 dirty only because its own
 * egress (src) / ingress (dst) policies changed: what a clean peer's policies allow with it is the same on
 * both sides.
 */
export function dirtyNodes(
  count: number,
  baseRep: (node: number) => Workload,
  headRep: (node: number) => Workload,
  base: ReachabilityMatrix,
  head: ReachabilityMatrix,
  changes: ObjectChanges,
  exhaustive: boolean,
  /**
   * The nodes whose workloads are in some of these namespaces (a superset is fine), when known without a
   * read of every node's workload (a read of each record, scattered over the heap).
   */
  nodesIn?: (namespaces: ReadonlySet<string>) => Iterable<number> | undefined,
): { src: Uint8Array; dst: Uint8Array } {
  const src = new Uint8Array(count);
  const dst = new Uint8Array(count);
  if (exhaustive || changes.adminPolicies.length > 0) {
    src.fill(2);
    dst.fill(2);
    return { src, dst };
  }
  // Namespaces where something changed: the workloads of the others are clean (one lookup each).
  const touched = new Set([...changes.policiesByNamespace.keys(), ...changes.namespaces.keys()]);
  for (const c of changes.workloads.values()) touched.add(c.head.namespace);
  // Workloads come namespace by namespace (file by file): the namespace is looked up when it changes.
  let lastNamespace: string | undefined;
  let lastTouched = false;
  for (const n of nodesIn?.(touched) ?? allNodes(count)) {
    const h = headRep(n);
    if (h.namespace !== lastNamespace) {
      lastNamespace = h.namespace;
      lastTouched = touched.has(lastNamespace);
    }
    if (!lastTouched) continue;
    if (changes.workloads.has(h.id) || changes.namespaces.has(h.namespace)) {
      src[n] = 2;
      dst[n] = 2;
      continue;
    }
    const b = baseRep(n);
    for (const c of changes.policiesByNamespace.get(h.namespace) ?? []) {
      for (const [cp, w] of [[compiledPolicy(base, c, 'base'), b], [compiledPolicy(head, c, 'head'), h]] as const) {
        if (!cp || !cp.selects(w)) continue;
        if (cp.policy.affectsEgress) src[n] = 1;
        if (cp.policy.affectsIngress) dst[n] = 1;
      }
    }
  }
  return { src, dst };
}

function* allNodes(count: number): Iterable<number> {
  for (let n = 0; n < count; n++) yield n;
}
