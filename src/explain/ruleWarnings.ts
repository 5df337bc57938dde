import { compileSelector } from '../engine/labelSelector.js';
import type { CompiledPolicy, CompiledRule } from '../engine/compile.js';
import { IpSet } from '../engine/ipSet.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import { describePeer } from './describePeer.js';
import { describeSelector } from './describeSelector.js';
import { locateInPolicy } from './locate.js';
import { namedPortWarnings } from './namedPortWarnings.js';
import type { Warning, WarningCode } from './types.js';

/**
 * What a reviewer should know about one rule: a peer that matches no workload, a peer with both selectors
 * next to a podSelector-only peer (the AND/OR trap), an except outside its cidr, a named port that resolves on
 * no destination.
 */
export function ruleWarnings(matrix: ReachabilityMatrix, cp: CompiledPolicy, rule: CompiledRule): Warning[] {
  const { policy } = cp;
  const field = rule.direction === 'ingress' ? 'from' : 'to';
  const name = `${rule.direction} rule ${rule.rule.index + 1} of ${policy.id}`;
  const out: Warning[] = [];
  const warn = (code: WarningCode, path: readonly (string | number)[], message: string) =>
    out.push({
      code,
      policy: policy.id,
      direction: rule.direction,
      ruleIndex: rule.rule.index,
      ...locateInPolicy(matrix.cluster, policy, [...rule.rule.path, ...path]),
      message,
    });

  rule.peers.forEach((peer, i) => {
    const p = peer.peer;
    if (p.type === 'ipBlock') {
      const cidr = IpSet.fromCidr(p.cidr);
      p.except.forEach((e, j) => {
        const ex = IpSet.fromCidr(e);
        if (!cidr.contains(ex) || ex.equals(cidr)) {
          warn('except-outside-cidr', [field, i, 'ipBlock', 'except', j], `${name}: except ${e} is not inside cidr ${p.cidr}; the API server rejects it (it must be a strict subset)`);
        }
      });
      return;
    }
    if (!matrix.workloads.some((w) => peer.matchesPod(w))) {
      const nsSel = p.namespaceSelector;
      const noNamespace =
        nsSel && ![...matrix.cluster.namespaces.keys()].some((ns) => compileSelector(nsSel)(matrix.compiled.namespaceLabels(ns)));
      const why = noNamespace ? ` (no namespace has ${describeSelector(nsSel)})` : '';
      warn('peer-matches-nothing', [field, i], `${name}: ${field} ${describePeer(p, policy.namespace)} matches no workload${why}`);
    }
  });

  // The AND/OR trap: `- namespaceSelector: ...\n  podSelector: ...` is one peer (AND); a podSelector on its own
  // list item is a second peer (OR) that means the policy's own namespace. A mix of both is often a stray '-'.
  const and = rule.peers.flatMap((x, i) => (x.peer.type === 'pods' && x.peer.namespaceSelector && x.peer.podSelector ? [i] : []));
  const or = rule.peers.flatMap((x, i) => (x.peer.type === 'pods' && !x.peer.namespaceSelector && x.peer.podSelector ? [i] : []));
  if (and.length > 0) {
    for (const i of or) {
      const andPeer = rule.peers[and[0]!]!.peer;
      warn(
        'and-or-trap',
        [field, i],
        `${name}: ${field}[${and[0]}] is one peer with both selectors (AND: ${describePeer(andPeer, policy.namespace)}), ` +
          `but ${field}[${i}] is a separate podSelector peer (OR: ${describePeer(rule.peers[i]!.peer, policy.namespace)}); ` +
          `if it was meant to narrow ${field}[${and[0]}], remove the "-" before its podSelector`,
      );
    }
  }

  out.push(...namedPortWarnings(matrix, cp, rule));
  return out;
}
