import { resolveNamedPort, type CompiledRule, type Direction } from '../engine/compile.js';
import { IpSet } from '../engine/ipSet.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import { PortSet } from '../engine/portSet.js';
import type { Workload } from '../manifests/model.js';
import { describeRule } from './describeRule.js';
import type { NamedPortWords } from './describePorts.js';
import { locateInPolicy } from './locate.js';
import { peerMissReason } from './peerMissReason.js';
import type { AskedPorts, DirectionChain, ExplainEndpoint, NearestMiss, RuleStep } from './types.js';

export interface DirectionResult {
  readonly chain: DirectionChain;
  /** The asked ports this direction allows to `part` (a part of the IP peer; null for a workload peer). */
  allowedFor(part: IpSet | null): PortSet;
}

/**
 * One direction of a connection, told from the policies of `subject` (the source for egress, the destination
 * for ingress) towards `peer`. `parts` are the pieces of an IP peer that every rule treats alike (the
 * matrix's ranges cut to the peer), or [null] for a workload peer.
 */
export function explainDirection(
  matrix: ReachabilityMatrix,
  direction: Direction,
  subject: ExplainEndpoint,
  peer: ExplainEndpoint,
  asked: AskedPorts,
  parts: readonly (IpSet | null)[],
): DirectionResult {
  const everything = (status: DirectionChain['status']): DirectionResult => ({
    chain: {
      direction,
      subject: subject.id,
      status,
      isolatedBy: [],
      allows: asked.ports.isEmpty() ? 'none' : 'all',
      allowedPorts: asked.ports,
      allowedBy: [],
      misses: [],
    },
    allowedFor: () => asked.ports,
  });
  if (subject.kind === 'ip') return everything('outside-cluster');
  const w = subject.workload;
  if (w.hostNetwork) return everything('host-network');
  const isolating = matrix.isolation(w)[direction];
  if (isolating.length === 0) return everything('not-isolated');

  const cluster = matrix.cluster;
  // The destination pod, against which named ports resolve: the selected pod for ingress, the peer for egress.
  const dst: Workload | null = direction === 'ingress' ? w : peer.kind === 'workload' ? peer.workload : null;
  const dstId = direction === 'ingress' ? subject.id : peer.id;
  const named: NamedPortWords = (name, protocol) => {
    const port = dst ? resolveNamedPort(dst, name, protocol) : undefined;
    return port === undefined
      ? `${protocol} port named ${name}`
      : `${protocol} port named ${name} (${port} on ${dst!.id})`;
  };

  const steps: { step: RuleStep; rule: CompiledRule }[] = [];
  const misses: NearestMiss[] = [];
  for (const policy of isolating) {
    const cp = matrix.compiled.policies.find((c) => c.policy === policy)!;
    const rules = cp[direction];
    if (rules.length === 0) {
      misses.push({
        policy: policy.id,
        direction,
        ...locateInPolicy(cluster, policy, []),
        text: `${policy.id} has no ${direction} rules: it isolates ${subject.id} and allows nothing`,
      });
    }
    for (const rule of rules) {
      const ports = rule.portsFor(dst).intersect(asked.ports);
      const covered = peer.kind === 'workload' ? null : rule.matchesAllPeers ? peer.set : rule.ipSet.intersect(peer.set);
      const peerMatches = peer.kind === 'workload' ? rule.matchesPod(peer.workload) : !covered!.isEmpty();
      const head = `rule ${rule.rule.index + 1} of ${policy.id} ${describeRule(policy, direction, rule.rule, named)}`;
      const at = locateInPolicy(cluster, policy, rule.rule.path);
      if (peerMatches && !ports.isEmpty()) {
        const partial = peer.kind === 'ip' && covered && !covered.equals(peer.set) ? covered.toCidrs() : undefined;
        const text = partial ? `${head} (partially: ${partial.join(', ')} of ${peer.id})` : head;
        const step: RuleStep = {
          policy: policy.id,
          direction,
          ruleIndex: rule.rule.index,
          ...at,
          ports,
          ...(partial ? { partialCidrs: partial } : {}),
          text,
        };
        steps.push({ step, rule });
        continue;
      }
      const reasons: string[] = [];
      if (!peerMatches) reasons.push(peerMissReason(matrix.compiled, rule, peer));
      if (ports.isEmpty()) reasons.push(...portMissReasons(rule, dst, dstId, asked));
      misses.push({ policy: policy.id, direction, ruleIndex: rule.rule.index, ...at, text: [head, ...reasons].join('; ') });
    }
  }

  const allowedFor = (part: IpSet | null): PortSet =>
    steps
      .filter(({ rule }) => part === null || rule.matchesIps(part))
      .reduce((acc, { step }) => acc.union(step.ports), PortSet.empty);
  const perPart = parts.map(allowedFor);
  const allows = perPart.every((p) => p.equals(asked.ports) && !p.isEmpty())
    ? 'all'
    : perPart.every((p) => p.isEmpty())
      ? 'none'
      : 'some';
  return {
    chain: {
      direction,
      subject: subject.id,
      status: 'isolated',
      isolatedBy: isolating.map((p) => ({ policy: p.id, ...locateInPolicy(cluster, p, []) })),
      allows,
      allowedPorts: perPart.reduce((a, b) => a.union(b), PortSet.empty),
      allowedBy: steps.map((s) => s.step),
      misses: allows === 'all' ? [] : misses,
    },
    allowedFor,
  };
}

/** Why a rule's ports miss the asked ones: names the destination does not declare, and what was asked. */
function portMissReasons(rule: CompiledRule, dst: Workload | null, dstId: string, asked: AskedPorts): string[] {
  const reasons: string[] = [];
  for (const n of rule.namedPorts) {
    if (!dst) {
      reasons.push(`a port name never matches ${dstId}, which is outside the cluster`);
      break;
    }
    if (resolveNamedPort(dst, n.name, n.protocol) === undefined) {
      reasons.push(`${dstId} declares no ${n.protocol} port named ${n.name}`);
    }
  }
  if (asked.port !== undefined || reasons.length === 0) reasons.push(`you asked for ${asked.text}`);
  return reasons;
}
