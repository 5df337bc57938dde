import type { CompiledPolicy, CompiledRule, Direction } from '../engine/compile.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import { describeSelector } from './describeSelector.js';
import { dnsWarnings } from './dnsWarnings.js';
import { listIds } from './listIds.js';
import { locateInPolicy } from './locate.js';
import { ruleWarnings } from './ruleWarnings.js';
import type { Warning } from './types.js';

/**
 * Everything a reviewer should know about the policies of a cluster, in policy order: policies that select
 * nothing, allow-all rules that override other policies' isolation, the per-rule warnings (ruleWarnings), and
 * egress isolation without DNS.
 */
export function policyWarnings(matrix: ReachabilityMatrix): Warning[] {
  const out: Warning[] = [];
  const dns = dnsWarnings(matrix);
  for (const cp of matrix.compiled.policies) {
    const { policy } = cp;
    const selected = matrix.workloads.filter((w) => cp.selects(w));
    if (selected.length === 0) {
      const words = describeSelector(policy.podSelector);
      out.push({
        code: 'selects-nothing',
        policy: policy.id,
        ...locateInPolicy(matrix.cluster, policy, ['spec', 'podSelector']),
        message: `${policy.id} selects no workload: no ${words === '' ? 'pod' : `pod has ${words}`} in namespace ${policy.namespace}`,
      });
    }
    for (const direction of ['ingress', 'egress'] as const) {
      const affects = direction === 'ingress' ? policy.affectsIngress : policy.affectsEgress;
      if (!affects) continue;
      const allowAll = cp[direction].find((r) => r.matchesAllPeers && r.portsFor(null).isAll());
      if (allowAll) out.push(...overrides(matrix, cp, direction, allowAll, selected));
      for (const rule of cp[direction]) out.push(...ruleWarnings(matrix, cp, rule));
    }
    out.push(...dns.filter((w) => w.policy === policy.id));
  }
  return out;
}

/** An `ingress: [{}]` (or egress) rule undoes every other policy's isolation of the workloads it selects. */
function overrides(
  matrix: ReachabilityMatrix,
  cp: CompiledPolicy,
  direction: Direction,
  rule: CompiledRule,
  selected: readonly { id: string }[],
): Warning[] {
  const others = new Set<string>();
  const affected: string[] = [];
  for (const w of matrix.workloads.filter((x) => cp.selects(x))) {
    const isolating = matrix.isolation(w)[direction].filter((p) => p !== cp.policy).map((p) => p.id);
    if (isolating.length === 0) continue;
    isolating.forEach((id) => others.add(id));
    affected.push(w.id);
  }
  if (affected.length === 0) return [];
  return [
    {
      code: 'allow-all-overrides',
      policy: cp.policy.id,
      direction,
      ruleIndex: rule.rule.index,
      ...locateInPolicy(matrix.cluster, cp.policy, rule.rule.path),
      message:
        `${cp.policy.id} allows all ${direction} (${direction}: [{}]) ${direction === 'ingress' ? 'to' : 'from'} the ${selected.length} workload${selected.length === 1 ? '' : 's'} it selects, ` +
        `which overrides the isolation by ${[...others].join(', ')} of ${listIds(affected)}`,
    },
  ];
}
