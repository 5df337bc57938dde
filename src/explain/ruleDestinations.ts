import { resolveNamedPort, type CompiledPolicy, type CompiledRule } from '../engine/compile.js';
import { classesMatching, type ReachabilityMatrix } from '../engine/matrix.js';
import type { Protocol, Workload } from '../manifests/model.js';
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

/** How many destinations a rule has (as ruleDestinations lists them), and whether a named port resolves on any. */
export interface DestinationPorts {
  readonly count: number;
  resolves(name: string, protocol: Protocol): boolean;
}

/**
 * ruleDestinations, for callers that only count the destinations and resolve names on them. For egress it
 * reads the matched workload classes, whose members share named ports and hostNetwork: one test per class,
 * and no list of all their members per rule (thousands of rules with named ports on large repositories).
 */
export function destinationPorts(matrix: ReachabilityMatrix, cp: CompiledPolicy, rule: CompiledRule): DestinationPorts {
  const groups = rule.direction === 'egress' ? classesMatching(matrix, rule) : undefined;
  if (!groups) {
    const list = ruleDestinations(matrix, cp, rule);
    return { count: list.length, resolves: (name, protocol) => list.some((w) => resolveNamedPort(w, name, protocol) !== undefined) };
  }
  const pods = groups.filter((members) => !members[0]!.hostNetwork);
  let count = 0;
  for (const members of pods) count += members.length;
  return { count, resolves: (name, protocol) => pods.some((members) => resolveNamedPort(members[0]!, name, protocol) !== undefined) };
}
