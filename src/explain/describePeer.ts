import type { PolicyPeer } from '../manifests/model.js';
import { describeSelector } from './describeSelector.js';

/**
 * One peer of a rule in words: `pods app=frontend in namespace default`, `any pod in namespaces
 * project=mywebapp`, `pods app=x in any namespace`, `IPs in 10.0.0.0/8 except 10.1.0.0/16`.
 * `namespace` is the policy's own namespace, which a peer without namespaceSelector means.
 */
export function describePeer(peer: PolicyPeer, namespace: string): string {
  if (peer.type === 'ipBlock') {
    const except = peer.except.length > 0 ? ` except ${peer.except.join(', ')}` : '';
    return `IPs in ${peer.cidr}${except}`;
  }
  const podWords = peer.podSelector ? describeSelector(peer.podSelector) : '';
  const pods = podWords === '' ? 'any pod' : `pods ${podWords}`;
  if (!peer.namespaceSelector) return `${pods} in namespace ${namespace}`;
  const nsWords = describeSelector(peer.namespaceSelector);
  return `${pods} in ${nsWords === '' ? 'any namespace' : `namespaces ${nsWords}`}`;
}
