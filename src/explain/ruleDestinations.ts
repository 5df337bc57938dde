import type { CompiledPolicy, CompiledRule } from '../engine/compile.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { Workload } from '../manifests/model.js';
import { workloadsByNamespace } from '../manifests/workloadsByNamespace.js';

/**
 * The workloads a rule's named ports resolve against: for ingress the pods the policy selects, for egress the
 * pods the rule's peers match (named ports always resolve on the destination).
 */
export function ruleDestinations(matrix: ReachabilityMatrix, cp: CompiledPolicy, rule: CompiledRule): Workload[] {
  return rule.direction === 'ingress'
    ? workloadsIn(matrix, cp.policy.namespace).filter((w) => cp.selects(w))
    : matrix.workloadsMatching(rule).filter((w) => !w.hostNetwork);
}

/** A policy selects only in its own namespace: the workloads by namespace, once per matrix (not a scan per rule). */
const byNamespace = new WeakMap<ReachabilityMatrix, Map<string, Workload[]>>();
function workloadsIn(matrix: ReachabilityMatrix, namespace: string): readonly Workload[] {
  let index = byNamespace.get(matrix);
  if (!index) byNamespace.set(matrix, (index = workloadsByNamespace(matrix.workloads)));
  return index.get(namespace) ?? [];
}
