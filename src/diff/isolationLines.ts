import type { ReachabilityMatrix } from '../engine/matrix.js';
import { PortSet } from '../engine/portSet.js';
import type { Workload } from '../manifests/model.js';
import { dedupeAttribution } from './attributionList.js';
import { endOf, type DeltaEnd, type MemberDelta } from './deltaTypes.js';
import { describeGroup } from './describeGroup.js';
import { displayName } from './displayName.js';
import { PeersMemo } from './peersMemo.js';
import { byPair, toPairDelta } from './pairDelta.js';
import { riskFlags } from './riskFlags.js';
import type { Attribution, DiffLine } from './types.js';

export interface IsolationFlips {
  readonly ingress: Set<string>;
  readonly egress: Set<string>;
}

/** A workload present on both sides: its base and head records. */
export interface WorkloadPair {
  readonly base: Workload;
  readonly head: Workload;
}

/**
 * Workloads (present on both sides) that gained or lost isolation, per direction, and the pairs that did
 * either (in the order given). Asked once per group of workloads that share their class on both sides (the
 * policies that isolate a workload are those of its class).
 */
export function isolationFlips<P extends WorkloadPair>(
  base: ReachabilityMatrix,
  head: ReachabilityMatrix,
  groups: readonly (readonly P[])[],
): { gained: IsolationFlips; lost: IsolationFlips; flipped: P[] } {
  const gained = { ingress: new Set<string>(), egress: new Set<string>() };
  const lost = { ingress: new Set<string>(), egress: new Set<string>() };
  const flipped = new Set<P>();
  for (const members of groups) {
    const bi = base.isolation(members[0]!.base);
    const hi = head.isolation(members[0]!.head);
    for (const dir of ['ingress', 'egress'] as const) {
      const was = bi[dir].length > 0;
      const is = hi[dir].length > 0;
      if (was === is) continue;
      for (const m of members) {
        (is ? gained : lost)[dir].add(m.head.id);
        flipped.add(m);
      }
    }
  }
  return { gained, lost, flipped: [...flipped] };
}

/**
 * One line per workload that gained or lost isolation in a direction, carrying the closed (or opened) pairs
 * it absorbs, what still reaches it (or what used to be the only allowed traffic), and the policies behind it.
 */
export function isolationLines(
  base: ReachabilityMatrix,
  head: ReachabilityMatrix,
  /** The workloads present on both sides to consider, in head order. */
  pairs: readonly WorkloadPair[],
  changedPolicies: readonly string[],
  absorbed: readonly MemberDelta[],
  memo: PeersMemo = new PeersMemo(),
): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const { base: b, head: h } of pairs) {
    const bi = base.isolation(b);
    const hi = head.isolation(h);
    for (const dir of ['ingress', 'egress'] as const) {
      const was = bi[dir].length > 0;
      const is = hi[dir].length > 0;
      if (was === is) continue;
      const name = displayName(h, head.cluster);
      const policies = is ? hi[dir] : bi[dir];
      const here = absorbed.filter((d) =>
        dir === 'ingress' ? d.dst.id === h.id && d.anchor === 'dst' : d.src.id === h.id && d.anchor === 'src',
      );
      const text = is
        ? `${name} is now isolated for ${dir} (by ${policies.map((p) => p.id).join(', ')}): ${remainingAllowed(head, h, dir, memo)}`
        : hi.admin[dir].length > 0
          ? // Admin policies still decide part of its traffic: say what remains rather than "anything".
            `${name} is no longer isolated for ${dir} by NetworkPolicies (admin policies ${hi.admin[dir].map((p) => p.name).join(', ')} still apply): ${remainingAllowed(head, h, dir, memo)} (before: ${remainingAllowed(base, b, dir, memo)})`
          : `${name} is no longer isolated for ${dir}: ${dir === 'ingress' ? 'any source may reach it on any port' : 'it may reach anything on any port'} (before: ${remainingAllowed(base, b, dir, memo)})`;
      const flags = is
        ? []
        : [
            dir === 'ingress' ? ('lost-ingress-isolation' as const) : ('lost-egress-isolation' as const),
            ...riskFlags(dir === 'ingress' ? 'dst' : 'src', { workload: h }, here.map((d) => (dir === 'ingress' ? d.src : d.dst))),
          ];
      const policyAttribution = policies
        .filter((p) => changedPolicies.includes(p.id) || !is)
        .map((p): Attribution => ({
          kind: 'NetworkPolicy',
          id: p.id,
          change: is
            ? base.cluster.policies.some((x) => x.id === p.id) ? 'edited' : 'added'
            : head.cluster.policies.some((x) => x.id === p.id) ? 'edited' : 'removed',
          file: p.source.file,
          line: p.source.line,
        }));
      lines.push({
        direction: 'isolation',
        // Becoming isolated closes paths (running traffic may break); losing isolation opens everything.
        risk: is ? (here.length > 0 ? 'medium' : 'info') : flags.includes('from-internet') ? 'critical' : 'high',
        flags,
        text,
        from: { text: name, members: [h.id] },
        to: { text: name, members: [h.id] },
        ports: PortSet.all.toJSON(),
        attribution: dedupeAttribution([...policyAttribution, ...here.flatMap((d) => d.attribution)]),
        pairs: here.map(toPairDelta).sort(byPair),
      });
    }
  }
  return lines;
}

/** "only 443/TCP from 0.0.0.0/0 except 10.0.0.0/8 remains allowed", grouped by port set. */
function remainingAllowed(m: ReachabilityMatrix, w: Workload, dir: 'ingress' | 'egress', memo: PeersMemo): string {
  const self = m.endpoint(w.id)!;
  const byPorts = new Map<string, { ports: PortSet; ends: DeltaEnd[] }>();
  for (const { endpoints, ports } of memo.peersOf(m, w, dir === 'ingress' ? 'from' : 'to')) {
    const ends = endpoints.filter((e) => !(e === self && w.kind === 'Pod')).map(endOf);
    if (ends.length === 0) continue;
    const g = byPorts.get(ports.key());
    if (g) g.ends.push(...ends);
    else byPorts.set(ports.key(), { ports, ends });
  }
  if (byPorts.size === 0) return dir === 'ingress' ? 'nothing may reach it' : 'it may reach nothing';
  if (byPorts.size === 1 && byPorts.values().next().value!.ports.isAll() && dir === 'ingress') {
    return `only ${describeGroup(byPorts.values().next().value!.ends, m.cluster).text} may reach it`;
  }
  const parts = [...byPorts.values()].map(
    (g) => `${g.ports.toShortString()} ${dir === 'ingress' ? 'from' : 'to'} ${describeGroup(g.ends, m.cluster).text}`,
  );
  return `only ${parts.join('; ')} ${parts.length === 1 ? 'remains' : 'remain'} allowed`;
}
