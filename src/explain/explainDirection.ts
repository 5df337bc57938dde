import { decideAdmin, resolveNamedPort, type CompiledAdminRule, type CompiledRule, type Direction } from '../engine/compile.js';
import { IpSet } from '../engine/ipSet.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import { PortSet } from '../engine/portSet.js';
import type { Workload } from '../manifests/model.js';
import { describeRule } from './describeRule.js';
import type { NamedPortWords } from './describePorts.js';
import { locateInPolicy } from './locate.js';
import { peerMissReason } from './peerMissReason.js';
import type { AdminStep, AskedPorts, DirectionChain, ExplainEndpoint, NearestMiss, RuleStep } from './types.js';

export interface DirectionResult {
  readonly chain: DirectionChain;
  /** The asked ports this direction allows to `part` (a part of the IP peer; null for a workload peer). */
  allowedFor(part: IpSet | null): PortSet;
}

/**
 * One direction of a connection: the policies of `subject` (the source for egress, the destination for
 * ingress) towards `peer`. `parts` are the pieces of an IP peer that every rule treats alike (the matrix's
 * ranges cut to the peer), or [null] for a workload peer.
 */
export interface DirectionQuestion {
  readonly direction: Direction;
  readonly subject: ExplainEndpoint;
  readonly peer: ExplainEndpoint;
  readonly asked: AskedPorts;
  readonly parts: readonly (IpSet | null)[];
}

/** One direction of a connection, told from the admin tiers (when any select the subject) and the NetworkPolicies. */
export function explainDirection(matrix: ReachabilityMatrix, question: DirectionQuestion): DirectionResult {
  const np = explainNetworkPolicies(matrix, question);
  const { direction, subject } = question;
  if (subject.kind !== 'workload' || subject.workload.hostNetwork) return np;
  const w = subject.workload;
  if (matrix.isolation(w).admin[direction].length === 0) return np;
  return withAdminTiers(matrix, question, w, np);
}

/** The pod named ports resolve against: the subject for ingress, the peer for egress (none for an IP peer). */
function destinationPod(direction: Direction, subject: Workload, peer: ExplainEndpoint): Workload | null {
  return direction === 'ingress' ? subject : peer.kind === 'workload' ? peer.workload : null;
}

/** Whether the ports allowed per part cover the asked ports in every part, in none, or in some. */
function allowsOf(perPart: readonly PortSet[], asked: AskedPorts): DirectionChain['allows'] {
  if (perPart.every((p) => p.equals(asked.ports) && !p.isEmpty())) return 'all';
  return perPart.every((p) => p.isEmpty()) ? 'none' : 'some';
}

/**
 * The admin tiers around the NetworkPolicy result, per port (policy-assistant's DirectionResult.Resolve): the
 * first matching ANP rule's Allow or Deny is final; Pass and unmatched ports go to the NetworkPolicies when one
 * isolates the pod, else to the BANP's first matching rule; what nothing decides is allowed.
 */
function withAdminTiers(matrix: ReachabilityMatrix, question: DirectionQuestion, w: Workload, np: DirectionResult): DirectionResult {
  const { direction, peer, asked, parts } = question;
  const compiled = matrix.compiled;
  const anpRules = compiled.admin.filter((p) => p.selects(w)).flatMap((p) => p[direction]);
  const banpRules = compiled.baseline?.selects(w) ? compiled.baseline[direction] : [];
  const dst = destinationPod(direction, w, peer);
  const matcher = (part: IpSet | null) => (r: CompiledAdminRule) =>
    peer.kind === 'workload' ? r.matchesPod(peer.workload) : part !== null && r.matchesIps(part);
  const npIsolated = np.chain.status === 'isolated';
  const decide = (part: IpSet | null) => {
    const anp = decideAdmin(anpRules, matcher(part), dst, asked.ports);
    const banp = decideAdmin(banpRules, matcher(part), dst, asked.ports);
    const undecided = asked.ports.subtract(anp.allow).subtract(anp.deny);
    const lower = npIsolated ? np.allowedFor(part) : asked.ports.subtract(banp.deny);
    return { anp, banp, undecided, allowed: anp.allow.union(undecided.intersect(lower)) };
  };
  const decided = parts.map(decide);
  const allowedFor = (part: IpSet | null): PortSet => {
    const i = parts.indexOf(part);
    return (i >= 0 ? decided[i]! : decide(part)).allowed;
  };

  // Steps: every rule that decides some asked port for some part, in evaluation order.
  const stepPorts = new Map<CompiledAdminRule, PortSet>();
  for (const d of decided) for (const s of [...d.anp.steps, ...d.banp.steps]) stepPorts.set(s.rule, (stepPorts.get(s.rule) ?? PortSet.empty).union(s.ports));
  const undecided = decided.reduce((a, d) => a.union(d.undecided), PortSet.empty);
  const admin: AdminStep[] = [...anpRules, ...banpRules].flatMap((r) => {
    const ports = stepPorts.get(r);
    if (!ports) return [];
    const tier = r.policy.tier === 'admin' ? ('ANP' as const) : ('BANP' as const);
    const reached = tier === 'ANP' || !npIsolated;
    const on = ports.equals(asked.ports) ? '' : ` on ${ports.toShortString()}`;
    const where = `${r.policy.name}${r.policy.priority !== undefined ? `, priority ${r.policy.priority}` : ''}, rule ${r.rule.name ?? r.rule.index + 1}`;
    const text = `[${tier}] ${r.action} (${where})${on}${reached ? '' : ' - not reached: a NetworkPolicy isolates the pod'}`;
    return [{
      tier,
      policy: r.policy.name,
      ...(r.policy.priority !== undefined ? { priority: r.policy.priority } : {}),
      ruleIndex: r.rule.index,
      ...(r.rule.name ? { ruleName: r.rule.name } : {}),
      action: r.action,
      ports,
      reached,
      ...locateInPolicy(matrix.cluster, r.policy, r.rule.path),
      text,
    }];
  });

  // The flow: the ANP decisions, then for the ports they leave, NetworkPolicy or the BANP.
  const flow: string[] = admin.filter((s) => s.tier === 'ANP').map((s) => s.text);
  if (!undecided.isEmpty()) {
    if (npIsolated) {
      for (const step of np.chain.allowedBy) {
        const ports = step.ports.intersect(undecided);
        if (!ports.isEmpty()) flow.push(`[NP] Allow (${step.policy} rule ${step.ruleIndex + 1})${ports.equals(asked.ports) ? '' : ` on ${ports.toShortString()}`}`);
      }
      const blocked = decided.reduce((a, d, i) => a.union(d.undecided.subtract(np.allowedFor(parts[i]!))), PortSet.empty);
      if (!blocked.isEmpty()) {
        flow.push(`[NP] Deny (isolated by ${np.chain.isolatedBy.map((p) => p.policy).join(', ')}; no rule allows${blocked.equals(asked.ports) ? '' : ` ${blocked.toShortString()}`})`);
      }
    } else {
      flow.push(...admin.filter((s) => s.tier === 'BANP').map((s) => s.text));
      const rest = decided.reduce((a, d) => a.union(d.undecided.subtract(d.banp.allow).subtract(d.banp.deny)), PortSet.empty);
      if (!rest.isEmpty()) flow.push(`allowed: no rule decides${rest.equals(asked.ports) ? '' : ` ${rest.toShortString()}`}`);
    }
  }

  const perPart = decided.map((d) => d.allowed);
  const allows = allowsOf(perPart, asked);
  return {
    chain: {
      ...np.chain,
      allows,
      allowedPorts: perPart.reduce((a, b) => a.union(b), PortSet.empty),
      // NetworkPolicy rules and misses speak only for the ports the ANPs leave to them.
      allowedBy: np.chain.allowedBy.filter((s) => !s.ports.intersect(undecided).isEmpty()),
      misses: allows === 'all' || !npIsolated || undecided.isEmpty() ? [] : np.chain.misses,
      admin,
      flow: flow.join(' -> '),
    },
    allowedFor,
  };
}

/** One direction as the NetworkPolicies alone decide it. */
function explainNetworkPolicies(matrix: ReachabilityMatrix, question: DirectionQuestion): DirectionResult {
  const { direction, subject, peer, asked, parts } = question;
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
  const dst = destinationPod(direction, w, peer);
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
    const cp = matrix.compiled.policy(policy.id)!;
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
  const allows = allowsOf(perPart, asked);
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
