import { resolveNamedPort, type CompiledPolicy, type Direction } from '../engine/compile.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import { describeRule } from './describeRule.js';
import { describeSelector } from './describeSelector.js';
import type { NamedPortWords } from './describePorts.js';
import { listIds } from './listIds.js';
import { locateInPolicy } from './locate.js';
import { ruleDestinations } from './ruleDestinations.js';
import type { PolicyDescription, PolicyFact } from './types.js';

/**
 * A policy in plain English, one fact per line: what it selects (with the workloads), then per direction
 * whether it isolates and what each rule allows, with named ports resolved on the destinations.
 * Throws for an unknown policy id (callers look policies up first, see explain()).
 */
export function describePolicy(matrix: ReachabilityMatrix, policyId: string): PolicyDescription {
  const cp = matrix.compiled.policy(policyId);
  if (!cp) throw new Error(`no NetworkPolicy ${policyId}`);
  const { policy } = cp;
  const at = (path: readonly (string | number)[]) => locateInPolicy(matrix.cluster, policy, path);

  const selected = matrix.workloads.filter((w) => cp.selects(w)).map((w) => w.id);
  const podWords = describeSelector(policy.podSelector);
  const who = `${podWords === '' ? 'every pod' : `pods ${podWords}`} in namespace ${policy.namespace}`;
  const selects =
    selected.length === 0
      ? `Selects ${who}: no workload matches.`
      : `Selects ${who} (${selected.length} workload${selected.length === 1 ? '' : 's'}: ${listIds(selected)}).`;
  const facts: PolicyFact[] = [{ text: selects, ...at(['spec', 'podSelector']) }];
  facts.push(...directionFacts(matrix, cp, 'ingress', at), ...directionFacts(matrix, cp, 'egress', at));
  return { id: policy.id, ...at([]), facts };
}

function directionFacts(
  matrix: ReachabilityMatrix,
  cp: CompiledPolicy,
  direction: Direction,
  at: (path: readonly (string | number)[]) => { file: string; line: number },
): PolicyFact[] {
  const { policy } = cp;
  const title = direction === 'ingress' ? 'Ingress' : 'Egress';
  const affects = direction === 'ingress' ? policy.affectsIngress : policy.affectsEgress;
  const rules = cp[direction];
  const where = at(['spec', direction]);
  if (!affects) {
    // Rules under a direction that policyTypes leaves out are ignored by the API server's enforcement.
    const ignored = rules.length === 0 ? '' : `; its ${rules.length} ${direction} rule${rules.length === 1 ? ' is' : 's are'} ignored`;
    return [{ text: `${title}: not affected (policyTypes leaves ${title} out)${ignored}.`, direction, ...at(['spec', 'policyTypes']) }];
  }
  if (rules.length === 0) return [{ text: `${title}: isolated; allows nothing.`, direction, ...where }];
  const ruleText = (r: (typeof rules)[number]) => {
    // Destinations are looked up only for rules with named ports: a scan of every workload per rule.
    let destinations: ReturnType<typeof ruleDestinations> | undefined;
    const named: NamedPortWords = (name, protocol) => {
      destinations ??= ruleDestinations(matrix, cp, r);
      const byPort = new Map<number, string[]>();
      for (const w of destinations) {
        const port = resolveNamedPort(w, name, protocol);
        if (port !== undefined) byPort.set(port, [...(byPort.get(port) ?? []), w.id]);
      }
      if (byPort.size === 0) return `${protocol} port named ${name} (resolves on no destination)`;
      const words = [...byPort].map(([port, ids]) => `${port} on ${listIds(ids, 3)}`).join('; to ');
      return `${protocol} port named ${name} (resolves to ${words})`;
    };
    return describeRule(policy, direction, r.rule, named);
  };
  if (rules.length === 1) {
    const r = rules[0]!;
    return [{ text: `${title}: isolated; ${ruleText(r)}.`, direction, ruleIndex: r.rule.index, ...at(r.rule.path) }];
  }
  return [
    { text: `${title}: isolated; allows what any of its ${rules.length} rules allows.`, direction, ...where },
    ...rules.map((r) => ({
      text: `${title} rule ${r.rule.index + 1} ${ruleText(r)}.`,
      direction,
      ruleIndex: r.rule.index,
      ...at(r.rule.path),
    })),
  ];
}
