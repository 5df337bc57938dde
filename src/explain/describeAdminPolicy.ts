import type { ReachabilityMatrix } from '../engine/matrix.js';
import { isEmptySelector } from '../engine/labelSelector.js';
import type { AdminNetworkPolicy, AdminPeer, AdminPort, AdminRule, LabelSelector } from '../manifests/model.js';
import { describeSelector } from './describeSelector.js';
import { listIds } from './listIds.js';
import { locateInPolicy } from './locate.js';
import type { PolicyDescription, PolicyFact } from './types.js';

/**
 * An AdminNetworkPolicy or the BaselineAdminNetworkPolicy in plain English, one line per fact: where it
 * stands in the evaluation order, what it applies to, and each rule with its action (first match decides).
 */
export function describeAdminPolicy(matrix: ReachabilityMatrix, policy: AdminNetworkPolicy): PolicyDescription {
  const compiled = [...matrix.compiled.admin, ...(matrix.compiled.baseline ? [matrix.compiled.baseline] : [])].find(
    (c) => c.policy === policy,
  );
  const selected = compiled ? matrix.workloads.filter((w) => compiled.selects(w)).map((w) => w.id) : [];
  const kind = policy.tier === 'admin' ? 'AdminNetworkPolicy' : 'BaselineAdminNetworkPolicy';
  const at = (path: readonly (string | number)[]) => locateInPolicy(matrix.cluster, policy, path);
  const subject = policy.subject.podSelector
    ? `${podWords(policy.subject.podSelector)} in ${nsWords(policy.subject.namespaceSelector)}`
    : `every pod in ${nsWords(policy.subject.namespaceSelector)}`;
  const facts: PolicyFact[] = [
    {
      text:
        policy.tier === 'admin'
          ? `${kind} ${policy.name}, priority ${policy.priority}: evaluated before NetworkPolicies (lower priority numbers first); the first rule that matches decides.`
          : `${kind} ${policy.name}: evaluated after NetworkPolicies, only for pods no NetworkPolicy isolates; the first rule that matches decides.`,
      ...at([]),
    },
    {
      text: `Applies to ${subject} (${selected.length === 0 ? 'no workload' : `${selected.length} workload${selected.length === 1 ? '' : 's'}: ${listIds(selected)}`}).`,
      ...at(['spec', 'subject']),
    },
  ];
  for (const direction of ['ingress', 'egress'] as const) {
    for (const rule of policy[direction]) {
      facts.push({ text: ruleText(direction, rule), direction, ruleIndex: rule.index, ...at(rule.path) });
    }
  }
  return { id: `${kind}/${policy.name}`, facts, ...at([]) };
}

function ruleText(direction: 'ingress' | 'egress', rule: AdminRule): string {
  const name = rule.name ? ` (${rule.name})` : '';
  const peers = rule.peers.map(peerText).join(', ');
  return `${direction === 'ingress' ? 'Ingress' : 'Egress'} rule ${rule.index + 1}${name}: ${rule.action} ${direction === 'ingress' ? 'from' : 'to'} ${peers || 'nothing'} on ${portsText(rule.ports)}.`;
}

function peerText(p: AdminPeer): string {
  switch (p.type) {
    case 'namespaces':
      return `every pod in ${nsWords(p.namespaceSelector)}`;
    case 'pods':
      return `${podWords(p.podSelector)} in ${nsWords(p.namespaceSelector)}`;
    case 'networks':
      return `IPs in ${p.cidrs.join(', ')}`;
    case 'nodes':
      return isEmptySelector(p.nodeSelector) ? 'every node' : `nodes ${describeSelector(p.nodeSelector)}`;
  }
}

function nsWords(sel: LabelSelector): string {
  return isEmptySelector(sel) ? 'any namespace' : `namespaces ${describeSelector(sel)}`;
}

function podWords(sel: LabelSelector): string {
  return isEmptySelector(sel) ? 'any pod' : `pods ${describeSelector(sel)}`;
}

function portsText(ports: readonly AdminPort[] | 'all'): string {
  if (ports === 'all') return 'all ports';
  return ports
    .map((p) =>
      p.type === 'number' ? `${p.protocol} ${p.port}` : p.type === 'range' ? `${p.protocol} ${p.start}-${p.end}` : `the port named ${p.name}`,
    )
    .join(', ');
}
