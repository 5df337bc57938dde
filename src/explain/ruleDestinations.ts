import type { CompiledPolicy, CompiledRule } from '../engine/compile.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { Workload } from '../manifests/model.js';

/**
 * The workloads a rule's named ports resolve against: for ingress the pods the policy selects, for egress the
 * pods the rule's peers match (named ports always resolve on the destination).
 */
export function ruleDestinations(matrix: ReachabilityMatrix, cp: CompiledPolicy, rule: CompiledRule): Workload[] {
  return rule.direction === 'ingress'
    ? matrix.workloads.filter((w) => cp.selects(w))
    : matrix.workloadsMatching(rule).filter((w) => !w.hostNetwork);
}
