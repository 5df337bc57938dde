import type { Direction } from '../engine/compile.js';
import type { NetworkPolicy, PolicyRule } from '../manifests/model.js';
import { describePeer } from './describePeer.js';
import { describePorts, type NamedPortWords } from './describePorts.js';

/**
 * What a rule allows, as a verb phrase: `allows TCP 3000 from pods app=frontend in namespace default, from IPs
 * in 10.0.0.0/8`, `allows all traffic`, `allows TCP 53 to anywhere`.
 */
export function describeRule(
  policy: NetworkPolicy,
  direction: Direction,
  rule: PolicyRule,
  named?: NamedPortWords,
): string {
  const ports = describePorts(rule.ports, named);
  const prep = direction === 'ingress' ? 'from' : 'to';
  if (rule.peers === 'all') return rule.ports === 'all' ? 'allows all traffic' : `allows ${ports} ${prep} anywhere`;
  const peers = rule.peers.map((p) => `${prep} ${describePeer(p, policy.namespace)}`).join(', ');
  return `allows ${ports} ${peers}`;
}
