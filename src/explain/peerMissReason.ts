import type { CompiledCluster, CompiledPeer, CompiledRule } from '../engine/compile.js';
import { IpSet } from '../engine/ipSet.js';
import type { ExplainEndpoint } from './types.js';
import { selectorMismatches } from './selectorMismatches.js';

/** A reason with a distance: the nearest miss is the peer with the fewest things to change. */
interface Scored {
  readonly distance: number;
  readonly reason: string;
}

/** A different kind of peer (pods vs addresses): farther than any label difference. */
const OTHER_KIND = 50;

/**
 * Why a rule's from/to does not match `endpoint`, told for the rule's nearest peer: "shop/web[Deployment] has
 * app=web", "other/intruder[Deployment] has app=frontend but is in namespace other", "10.1.2.3 is excluded by
 * except 10.1.0.0/16". Call it only for a rule that does not match the endpoint.
 */
export function peerMissReason(compiled: CompiledCluster, rule: CompiledRule, endpoint: ExplainEndpoint): string {
  if (endpoint.kind === 'workload' && endpoint.workload.hostNetwork) {
    return `${endpoint.id} uses hostNetwork: pod selectors never match it, only an ipBlock covering all of 0.0.0.0/0 or ::/0 does`;
  }
  let best: Scored | undefined;
  for (const peer of rule.peers) {
    const scored = scorePeer(compiled, rule, peer, endpoint);
    if (!best || scored.distance < best.distance) best = scored;
  }
  return best?.reason ?? `${endpoint.id} is not matched`;
}

function scorePeer(compiled: CompiledCluster, rule: CompiledRule, peer: CompiledPeer, endpoint: ExplainEndpoint): Scored {
  const p = peer.peer;
  if (endpoint.kind === 'ip') {
    if (p.type === 'pods') {
      return { distance: OTHER_KIND, reason: `${endpoint.id} is outside the cluster, which pod selectors never match` };
    }
    const cidr = IpSet.fromCidr(p.cidr);
    if (cidr.overlaps(endpoint.set)) {
      const excepts = p.except.filter((e) => IpSet.fromCidr(e).overlaps(endpoint.set)).join(', ');
      if (cidr.contains(endpoint.set)) return { distance: 1, reason: `${endpoint.id} is excluded by except ${excepts}` };
      return {
        distance: 1,
        reason: `${endpoint.id} is not in ${p.cidr}, and its part inside it is excluded by except ${excepts}`,
      };
    }
    return { distance: 2, reason: `${endpoint.id} is not in ${p.cidr}` };
  }
  const w = endpoint.workload;
  if (p.type === 'ipBlock') {
    return {
      distance: OTHER_KIND,
      reason: `${endpoint.id} is a workload in the cluster, and ipBlock peers match only addresses outside it`,
    };
  }
  const pods = p.podSelector ? selectorMismatches(p.podSelector, w.labels) : { failing: [], matching: [] };
  let nsFailing: string[];
  let nsWords: string;
  if (p.namespaceSelector) {
    nsFailing = selectorMismatches(p.namespaceSelector, compiled.namespaceLabels(w.namespace)).failing;
    nsWords = `is in namespace ${w.namespace}, which has ${nsFailing.join(' and ')}`;
  } else {
    nsFailing = w.namespace === rule.policy.namespace ? [] : [w.namespace];
    nsWords = `is in namespace ${w.namespace}`;
  }
  const distance = pods.failing.length + nsFailing.length;
  const has = (list: string[]) => `has ${list.join(' and ')}`;
  if (nsFailing.length === 0) return { distance, reason: `${endpoint.id} ${has(pods.failing)}` };
  if (pods.failing.length > 0) return { distance, reason: `${endpoint.id} ${has(pods.failing)} and ${nsWords}` };
  const but = pods.matching.length > 0 ? ` ${has(pods.matching)} but` : '';
  return { distance, reason: `${endpoint.id}${but} ${nsWords}` };
}
