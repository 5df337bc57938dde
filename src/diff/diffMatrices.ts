import { IpSet, NON_PUBLIC } from '../engine/ipSet.js';
import type { Endpoint, ReachabilityMatrix } from '../engine/matrix.js';
import { PortSet } from '../engine/portSet.js';
import { serviceWords } from '../engine/services.js';
import type { Cluster, Diagnostic, Workload } from '../manifests/model.js';
import { createAttributor, type PairEnd } from './attribute.js';
import { describeIps } from './describeIps.js';
import { describeWorkloads } from './describeWorkloads.js';
import { displayName } from './displayName.js';
import { ipAtoms } from './ipAtoms.js';
import { objectChanges, type ObjectChanges } from './objectChanges.js';
import { summarizeCluster } from './sideSummary.js';
import type { Attribution, DiffLine, EndpointGroup, PairDelta, ReachabilityDiff, Risk, RiskFlag } from './types.js';

export interface DiffOptions {
  readonly baseRef?: string;
  readonly headRef?: string;
  /** Compare every pair, not only those a change can touch (for tests that check the shortcut). */
  readonly exhaustive?: boolean;
}

/** A node of the joint graph: workloads that both sides treat alike, or an address atom. */
type JointNode =
  | { readonly kind: 'workloads'; readonly members: readonly { base: Workload; head: Workload }[]; readonly b: Endpoint; readonly h: Endpoint }
  | { readonly kind: 'ips'; readonly set: IpSet; readonly b: Endpoint; readonly h: Endpoint };

/** A changed pair of joint nodes, before expansion to workloads. */
interface JointDelta {
  readonly s: JointNode;
  readonly d: JointNode;
  readonly opened: PortSet;
  readonly closed: PortSet;
  /** Which side's policies changed the pair: group ingress changes by destination, egress by source. */
  readonly anchor: 'dst' | 'src';
  readonly attribution: readonly Attribution[];
}

/** One member-level delta, kept with its objects for grouping. */
interface MemberDelta {
  readonly src: { id: string; workload?: Workload; ips?: IpSet };
  readonly dst: { id: string; workload?: Workload; ips?: IpSet };
  readonly ports: PortSet;
  readonly anchor: 'dst' | 'src';
  readonly attribution: readonly Attribution[];
}

const RISK_RANK: Record<Risk, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
const DIRECTION_RANK: Record<DiffLine['direction'], number> = { opened: 0, added: 1, closed: 2, isolation: 3, removed: 4 };

/**
 * What a change does to reachability: per-pair opened/closed ports, and grouped, attributed, ranked lines.
 * Workloads are matched by id; IP ranges are compared as address sets (the common refinement of both
 * partitions). Workloads both sides treat alike are compared once.
 */
export function diffMatrices(base: ReachabilityMatrix, head: ReachabilityMatrix, opts: DiffOptions = {}): ReachabilityDiff {
  const changes = objectChanges(base.cluster, head.cluster);
  const attributor = createAttributor(base, head, changes);

  const baseById = new Map(base.workloads.map((w) => [w.id, w]));
  const headById = new Map(head.workloads.map((w) => [w.id, w]));
  const added = head.workloads.filter((w) => !baseById.has(w.id));
  const removed = base.workloads.filter((w) => !headById.has(w.id));

  // Joint nodes.
  const nodes: JointNode[] = [];
  const jointByKey = new Map<string, { base: Workload; head: Workload }[]>();
  for (const h of head.workloads) {
    const b = baseById.get(h.id);
    if (!b) continue;
    const key = `${base.classOf(b)}:${head.classOf(h)}`;
    const list = jointByKey.get(key);
    if (list) list.push({ base: b, head: h });
    else jointByKey.set(key, [{ base: b, head: h }]);
  }
  for (const members of jointByKey.values()) {
    const rep = members[0]!;
    nodes.push({ kind: 'workloads', members, b: base.endpoint(rep.base.id)!, h: head.endpoint(rep.head.id)! });
  }
  for (const atom of ipAtoms(base.ipRanges, head.ipRanges)) {
    nodes.push({ kind: 'ips', set: atom.set, b: base.endpoint(atom.base.id)!, h: head.endpoint(atom.head.id)! });
  }

  const end = (n: JointNode, side: 'base' | 'head'): PairEnd =>
    n.kind === 'ips' ? { ips: n.set } : { workload: n.members[0]![side] };

  // Only pairs a change can touch are compared: a pair whose destination's ingress policies, source's
  // egress policies, and both ends' labels are unchanged has the same answer on both sides, whatever the
  // IP partition (rules are evaluated per address). Admin tiers are cluster-wide: any change there, or
  // opts.exhaustive, compares every pair.
  const dirty = dirtyNodes(nodes, base, head, changes, opts.exhaustive === true);
  const jointDeltas: JointDelta[] = [];
  // Node indexes of each joint node on both sides, so the loop below does no endpoint lookups.
  const bi = new Map(nodes.map((x) => [x, base.nodeOf(x.b)]));
  const hi = new Map(nodes.map((x) => [x, head.nodeOf(x.h)]));
  const compare = (s: JointNode, d: JointNode): void => {
    if (s.kind === 'ips' && d.kind === 'ips') return;
    const sb = bi.get(s)!;
    const db = bi.get(d)!;
    const sh = hi.get(s)!;
    const dh = hi.get(d)!;
    const bp = base.allowedAt(sb, db);
    const hp = head.allowedAt(sh, dh);
    if (bp === hp || bp.equals(hp)) return;
    let anchor: 'dst' | 'src' = 'dst';
    if (s.kind === 'ips') anchor = 'dst';
    else if (d.kind === 'ips') anchor = 'src';
    else {
      const egressChanged = !base.egressAt(sb, db).equals(head.egressAt(sh, dh));
      const ingressChanged = !base.ingressAt(sb, db).equals(head.ingressAt(sh, dh));
      anchor = egressChanged && !ingressChanged ? 'src' : 'dst';
    }
    const attribution = attributor.attribute(
      { matrix: base, src: end(s, 'base'), dst: end(d, 'base') },
      { matrix: head, src: end(s, 'head'), dst: end(d, 'head') },
    );
    jointDeltas.push({ s, d, opened: hp.subtract(bp), closed: bp.subtract(hp), anchor, attribution });
  };
  for (const s of nodes) {
    if (dirty.src.has(s)) for (const d of nodes) compare(s, d);
    else for (const d of dirty.dst) compare(s, d);
  }

  // Expand to members.
  const openedMembers: MemberDelta[] = [];
  const closedMembers: MemberDelta[] = [];
  const expand = (n: JointNode): { id: string; workload?: Workload; ips?: IpSet }[] =>
    n.kind === 'ips'
      ? [{ id: n.set.toString(), ips: n.set }]
      : n.members.map((m) => ({ id: m.head.id, workload: m.head }));
  for (const jd of jointDeltas) {
    for (const src of expand(jd.s)) {
      for (const dst of expand(jd.d)) {
        if (src.id === dst.id && src.workload?.kind === 'Pod') continue; // loopback
        if (!jd.opened.isEmpty()) openedMembers.push({ src, dst, ports: jd.opened, anchor: jd.anchor, attribution: jd.attribution });
        if (!jd.closed.isEmpty()) closedMembers.push({ src, dst, ports: jd.closed, anchor: jd.anchor, attribution: jd.attribution });
      }
    }
  }

  // A workload that becomes isolated gets one line saying what still reaches it, not one line per lost peer.
  // Likewise a workload that loses isolation gets one line, with what used to be the only allowed traffic.
  const newlyIsolated = isolationFlips(base, head, 'gained');
  const lostIsolation = isolationFlips(base, head, 'lost');
  const absorbedBy = (flips: ReturnType<typeof isolationFlips>) => (d: MemberDelta) =>
    d.anchor === 'dst' ? flips.ingress.has(d.dst.id) : flips.egress.has(d.src.id);
  const closedMerged = mergeAtoms(closedMembers);
  const openedMerged = mergeAtoms(openedMembers);
  const lines: DiffLine[] = [
    ...groupLines('opened', openedMerged.filter((d) => !absorbedBy(lostIsolation)(d)), base, head),
    ...groupLines('closed', closedMerged.filter((d) => !absorbedBy(newlyIsolated)(d)), base, head),
    ...added.map((w) => workloadLine('added', w, head)),
    ...removed.map((w) => workloadLine('removed', w, base)),
    ...isolationLines(
      base,
      head,
      changes.policies.map((c) => c.id),
      [...closedMerged.filter(absorbedBy(newlyIsolated)), ...openedMerged.filter(absorbedBy(lostIsolation))],
    ),
  ].sort(
    (a, b) =>
      RISK_RANK[a.risk] - RISK_RANK[b.risk] ||
      DIRECTION_RANK[a.direction] - DIRECTION_RANK[b.direction] ||
      (a.text < b.text ? -1 : a.text > b.text ? 1 : 0),
  );

  const opened = [
    ...openedMerged.map(toPairDelta),
    ...added.flatMap((w) => connectionsOf(head, w).map((c) => toPairDelta({ src: { id: c.src.id }, dst: { id: c.dst.id }, ports: c.ports }))),
  ].sort(byPair);
  const closed = [
    ...closedMerged.map(toPairDelta),
    ...removed.flatMap((w) => connectionsOf(base, w).map((c) => toPairDelta({ src: { id: c.src.id }, dst: { id: c.dst.id }, ports: c.ports }))),
  ].sort(byPair);

  return {
    base: summarizeCluster(base.cluster, opts.baseRef),
    head: summarizeCluster(head.cluster, opts.headRef),
    opened,
    closed,
    lines,
    diagnostics: mergeDiagnostics(base.cluster.diagnostics, head.cluster.diagnostics),
  };
}

/**
 * The joint nodes whose rows (as a source) or columns (as a destination) a change can touch: workloads a
 * changed NetworkPolicy selects on either side (egress: as sources; ingress: as destinations), and
 * workloads whose labels, ports, hostNetwork flag or namespace labels changed (both).
 */
function dirtyNodes(
  nodes: readonly JointNode[],
  base: ReachabilityMatrix,
  head: ReachabilityMatrix,
  changes: ObjectChanges,
  exhaustive: boolean,
): { src: Set<JointNode>; dst: Set<JointNode> } {
  const workloadNodes = nodes.filter((n): n is JointNode & { kind: 'workloads' } => n.kind === 'workloads');
  if (exhaustive || changes.adminPolicies.length > 0) return { src: new Set(workloadNodes), dst: new Set(workloadNodes) };
  const src = new Set<JointNode>();
  const dst = new Set<JointNode>();
  const compiled = (m: ReachabilityMatrix) => new Map(m.compiled.policies.map((p) => [p.policy.id, p]));
  const baseCompiled = compiled(base);
  const headCompiled = compiled(head);
  for (const n of workloadNodes) {
    const { base: b, head: h } = n.members[0]!;
    if (changes.workloads.has(h.id) || changes.namespaces.has(h.namespace)) {
      src.add(n);
      dst.add(n);
      continue;
    }
    for (const c of changes.policiesByNamespace.get(h.namespace) ?? []) {
      for (const [cp, w] of [[c.base && baseCompiled.get(c.id), b], [c.head && headCompiled.get(c.id), h]] as const) {
        if (!cp || !cp.selects(w)) continue;
        if (cp.policy.affectsEgress) src.add(n);
        if (cp.policy.affectsIngress) dst.add(n);
      }
    }
  }
  return { src, dst };
}

/** Address atoms with the same workload on the other side, the same ports and the same anchor become one set. */
function mergeAtoms(deltas: readonly MemberDelta[]): MemberDelta[] {
  const out: MemberDelta[] = [];
  const merged = new Map<string, { d: MemberDelta; ips: IpSet[]; attribution: Map<string, Attribution> }>();
  for (const d of deltas) {
    const ipSide = d.src.ips ? 'src' : d.dst.ips ? 'dst' : undefined;
    if (!ipSide) {
      out.push(d);
      continue;
    }
    const other = ipSide === 'src' ? d.dst.id : d.src.id;
    const key = `${ipSide}|${other}|${d.ports.key()}|${d.anchor}`;
    const m = merged.get(key);
    const ips = (ipSide === 'src' ? d.src.ips : d.dst.ips)!;
    if (m) {
      m.ips.push(ips);
      for (const a of d.attribution) m.attribution.set(attributionKey(a), a);
    } else merged.set(key, { d, ips: [ips], attribution: new Map(d.attribution.map((a) => [attributionKey(a), a])) });
  }
  for (const { d, ips: parts, attribution } of merged.values()) {
    const ips = IpSet.unionAll(parts);
    const ipEnd = { id: ips.toString(), ips };
    out.push({
      ...d,
      src: d.src.ips ? ipEnd : d.src,
      dst: d.dst.ips ? ipEnd : d.dst,
      attribution: [...attribution.values()],
    });
  }
  return out;
}

function groupLines(
  direction: 'opened' | 'closed',
  deltas: readonly MemberDelta[],
  base: ReachabilityMatrix,
  head: ReachabilityMatrix,
): DiffLine[] {
  const groups = new Map<string, MemberDelta[]>();
  for (const d of deltas) {
    const anchorId = d.anchor === 'dst' ? d.dst.id : d.src.id;
    const key = `${d.anchor}|${anchorId}|${d.ports.key()}`;
    const list = groups.get(key);
    if (list) list.push(d);
    else groups.set(key, [d]);
  }
  const lines: DiffLine[] = [];
  for (const members of groups.values()) {
    const first = members[0]!;
    const anchorSide = first.anchor;
    const anchor = anchorSide === 'dst' ? first.dst : first.src;
    const others = members.map((m) => (anchorSide === 'dst' ? m.src : m.dst));
    const ports = first.ports;
    // "now allowed from X (before: Y)": X and Y are every peer allowed those ports at head and at base.
    const nowSide = direction === 'opened' ? head : base;
    const thenSide = direction === 'opened' ? base : head;
    const delta = describeGroup(others, direction === 'opened' ? head.cluster : base.cluster);
    const stillOrBefore = anchor.workload ? peersAllowing(thenSide, anchor.workload, anchorSide, ports) : undefined;
    const nowAll = anchor.workload ? peersAllowing(nowSide, anchor.workload, anchorSide, ports) : undefined;
    const anchorName = anchor.workload
      ? displayName(anchor.workload, (direction === 'opened' ? head : base).cluster)
      : describeIps(anchor.ips!);
    const portText = ports.toShortString();
    // Reviewers think in Service ports: name the ones that land on the destination's ports.
    const svc = anchorSide === 'dst' && anchor.workload ? serviceWords((direction === 'opened' ? head : base).cluster.services, anchor.workload, ports) : [];
    const anchorShown = svc.length > 0 ? `${anchorName} (${svc.join(', ')})` : anchorName;
    let text: string;
    if (direction === 'opened') {
      const hasBefore = stillOrBefore && stillOrBefore.members.length > 0;
      const from = hasBefore && nowAll ? nowAll : delta;
      const verb = anchorSide === 'dst' ? `${from.text} -> ${anchorShown}` : `${anchorName} -> ${from.text}`;
      text = `${verb} on ${portText}: now allowed${hasBefore ? ` (before: only ${stillOrBefore.text})` : ''}`;
    } else {
      const still = stillOrBefore && stillOrBefore.members.length > 0 ? ` (still allowed: ${stillOrBefore.text})` : '';
      const verb = anchorSide === 'dst' ? `${delta.text} -> ${anchorShown}` : `${anchorName} -> ${delta.text}`;
      text = `${verb} on ${portText}: now blocked${still}`;
    }
    const flags = riskFlags(anchorSide, anchor, others);
    const attribution = dedupeAttribution(members.flatMap((m) => m.attribution));
    const anchorGroup: EndpointGroup = { text: anchorName, members: [anchor.id] };
    lines.push({
      direction,
      risk: direction === 'opened' ? openedRisk(flags) : 'medium',
      flags,
      text,
      from: anchorSide === 'dst' ? delta : anchorGroup,
      to: anchorSide === 'dst' ? anchorGroup : delta,
      ports: ports.toJSON(),
      attribution,
      pairs: members.map(toPairDelta).sort(byPair),
    });
  }
  return lines;
}

/** Every peer that the anchor workload allows (or may reach) on all of `ports`, on one side. */
function peersAllowing(m: ReachabilityMatrix, w: Workload, anchorSide: 'dst' | 'src', ports: PortSet): EndpointGroup | undefined {
  // The anchor may be the other side's object: this side's workload is the one with its id.
  const self = m.endpoint(w.id);
  if (!self || self.kind !== 'workload') return undefined;
  const workloads: Workload[] = [];
  const ranges: IpSet[] = [];
  for (const peer of m.peersOf(self.workload, anchorSide === 'dst' ? 'from' : 'to')) {
    if (!peer.ports.contains(ports)) continue;
    for (const e of peer.endpoints) {
      if (e.kind === 'workload') {
        if (e.id === w.id && w.kind === 'Pod') continue;
        workloads.push(e.workload);
      } else ranges.push(e.range.set);
    }
  }
  const ips = IpSet.unionAll(ranges);
  return describeGroup(
    [...workloads.map((x) => ({ id: x.id, workload: x })), ...(ips.isEmpty() ? [] : [{ id: ips.toString(), ips }])],
    m.cluster,
  );
}

function describeGroup(ends: readonly { id: string; workload?: Workload; ips?: IpSet }[], cluster: Cluster): EndpointGroup {
  const workloads = ends.flatMap((e) => (e.workload ? [e.workload] : []));
  const ips = IpSet.unionAll(ends.flatMap((e) => (e.ips ? [e.ips] : [])));
  const parts: string[] = [];
  if (workloads.length > 0) parts.push(describeWorkloads(workloads, cluster));
  if (!ips.isEmpty()) parts.push(describeIps(ips));
  return { text: parts.length > 0 ? parts.join(' and ') : 'nothing', members: ends.map((e) => e.id).sort() };
}

function riskFlags(
  anchorSide: 'dst' | 'src',
  anchor: { workload?: Workload; ips?: IpSet },
  others: readonly { workload?: Workload; ips?: IpSet }[],
): RiskFlag[] {
  const flags = new Set<RiskFlag>();
  const ips = IpSet.unionAll([...(anchor.ips ? [anchor.ips] : []), ...others.flatMap((e) => (e.ips ? [e.ips] : []))]);
  const ipsAreSources = anchorSide === 'dst' ? others.some((o) => o.ips) : Boolean(anchor.ips);
  if (!ips.isEmpty()) {
    const isPublic = !ips.subtract(NON_PUBLIC).isEmpty();
    if (ipsAreSources) {
      flags.add('from-outside-cluster');
      if (isPublic) flags.add('from-internet');
      if (ips.coversFamily('IPv4') || ips.coversFamily('IPv6')) flags.add('from-everywhere');
    } else {
      flags.add('to-outside-cluster');
      if (isPublic) flags.add('to-internet');
    }
  }
  if (anchor.workload && others.some((o) => o.workload && o.workload.namespace !== anchor.workload!.namespace)) {
    flags.add('cross-namespace');
  }
  return [...flags];
}

function openedRisk(flags: readonly RiskFlag[]): Risk {
  if (flags.includes('from-internet')) return 'critical';
  if (flags.includes('from-outside-cluster') || flags.includes('cross-namespace') || flags.includes('to-internet')) return 'high';
  if (flags.includes('to-outside-cluster')) return 'medium';
  return 'low';
}

function connectionsOf(m: ReachabilityMatrix, w: Workload): { src: Endpoint; dst: Endpoint; ports: PortSet }[] {
  const self = m.endpoint(w.id)!;
  const out: { src: Endpoint; dst: Endpoint; ports: PortSet }[] = [];
  for (const e of m.endpoints) {
    if (e === self && w.kind === 'Pod') continue;
    const inbound = m.allowed(e, self);
    if (!inbound.isEmpty()) out.push({ src: e, dst: self, ports: inbound });
    if (e === self) continue;
    const outbound = m.allowed(self, e);
    if (!outbound.isEmpty()) out.push({ src: self, dst: e, ports: outbound });
  }
  return out;
}

/** One line for a workload the change adds or removes, instead of one line per peer. */
function workloadLine(direction: 'added' | 'removed', w: Workload, m: ReachabilityMatrix): DiffLine {
  const conns = connectionsOf(m, w);
  const inbound = conns.filter((c) => c.dst.id === w.id);
  const inPorts = inbound.reduce((s, c) => s.union(c.ports), PortSet.empty);
  const sources = inbound.map((c) => endOf(c.src));
  const from = describeGroup(sources, m.cluster);
  const iso = m.isolation(w);
  const name = displayName(w, m.cluster);
  const samePorts = inbound.every((c) => c.ports.equals(inPorts));
  const reach =
    inbound.length === 0
      ? 'reachable from nothing'
      : `reachable from ${from.text} on ${samePorts ? inPorts.toShortString() : `${inPorts.toShortString()} (ports vary by source)`}`;
  const egress = iso.egress.length === 0 ? 'not isolated for egress' : `egress limited by ${iso.egress.map((p) => p.id).join(', ')}`;
  const flags = direction === 'added' ? riskFlags('dst', { workload: w }, sources) : [];
  const text =
    direction === 'added'
      ? `new workload ${name} (${w.kind}): ${reach}; ${egress}`
      : `workload ${name} (${w.kind}) removed: its ${conns.length} path${conns.length === 1 ? '' : 's'} are gone`;
  return {
    direction,
    risk: direction === 'added' ? (flags.includes('from-internet') ? 'critical' : flags.length > 0 ? 'high' : 'low') : 'info',
    flags,
    text,
    from,
    to: { text: name, members: [w.id] },
    ports: inPorts.toJSON(),
    attribution: [{ kind: w.kind, id: w.id, change: direction, file: w.source.file, line: w.source.line }],
    pairs: conns
      .map((c) => toPairDelta({ src: { id: c.src.id }, dst: { id: c.dst.id }, ports: c.ports }))
      .sort(byPair),
  };
}

/** Workloads (present on both sides) that gained or lost isolation, per direction. */
function isolationFlips(
  base: ReachabilityMatrix,
  head: ReachabilityMatrix,
  which: 'gained' | 'lost',
): { ingress: Set<string>; egress: Set<string> } {
  const out = { ingress: new Set<string>(), egress: new Set<string>() };
  const baseById = new Map(base.workloads.map((w) => [w.id, w]));
  for (const h of head.workloads) {
    const b = baseById.get(h.id);
    if (!b) continue;
    for (const dir of ['ingress', 'egress'] as const) {
      const was = base.isolation(b)[dir].length > 0;
      const is = head.isolation(h)[dir].length > 0;
      if (which === 'gained' ? !was && is : was && !is) out[dir].add(h.id);
    }
  }
  return out;
}

function isolationLines(
  base: ReachabilityMatrix,
  head: ReachabilityMatrix,
  changedPolicies: readonly string[],
  absorbed: readonly MemberDelta[],
): DiffLine[] {
  const lines: DiffLine[] = [];
  const baseById = new Map(base.workloads.map((w) => [w.id, w]));
  for (const h of head.workloads) {
    const b = baseById.get(h.id);
    if (!b) continue;
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
        ? `${name} is now isolated for ${dir} (by ${policies.map((p) => p.id).join(', ')}): ${remainingAllowed(head, h, dir)}`
        : hi.admin[dir].length > 0
          ? // Admin policies still decide part of its traffic: say what remains rather than "anything".
            `${name} is no longer isolated for ${dir} by NetworkPolicies (admin policies ${hi.admin[dir].map((p) => p.name).join(', ')} still apply): ${remainingAllowed(head, h, dir)} (before: ${remainingAllowed(base, b, dir)})`
          : `${name} is no longer isolated for ${dir}: ${dir === 'ingress' ? 'any source may reach it on any port' : 'it may reach anything on any port'} (before: ${remainingAllowed(base, b, dir)})`;
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
function remainingAllowed(m: ReachabilityMatrix, w: Workload, dir: 'ingress' | 'egress'): string {
  const self = m.endpoint(w.id)!;
  const byPorts = new Map<string, { ports: PortSet; ends: { id: string; workload?: Workload; ips?: IpSet }[] }>();
  for (const e of m.endpoints) {
    if (e === self && w.kind === 'Pod') continue;
    const ports = dir === 'ingress' ? m.allowed(e, self) : m.allowed(self, e);
    if (ports.isEmpty()) continue;
    const g = byPorts.get(ports.key());
    if (g) g.ends.push(endOf(e));
    else byPorts.set(ports.key(), { ports, ends: [endOf(e)] });
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

function endOf(e: Endpoint): { id: string; workload?: Workload; ips?: IpSet } {
  return e.kind === 'workload' ? { id: e.id, workload: e.workload } : { id: e.id, ips: e.range.set };
}

function toPairDelta(d: { src: { id: string }; dst: { id: string }; ports: PortSet }): PairDelta {
  const json = d.ports.toJSON();
  if ('all' in json) return { src: d.src.id, dst: d.dst.id, all: true };
  return { src: d.src.id, dst: d.dst.id, ports: json.ports, ...(json.otherProtocols ? { otherProtocols: true as const } : {}) };
}

function byPair(a: PairDelta, b: PairDelta): number {
  return a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0;
}

function attributionKey(a: Attribution): string {
  return `${a.kind}|${a.id}|${a.change}|${a.rule?.direction ?? ''}|${a.rule?.index ?? ''}`;
}

function dedupeAttribution(list: readonly Attribution[]): Attribution[] {
  const m = new Map<string, Attribution>();
  for (const a of list) if (!m.has(attributionKey(a))) m.set(attributionKey(a), a);
  // The same object named with and without a rule: the rule says more.
  const withRule = new Set([...m.values()].filter((a) => a.rule).map((a) => `${a.kind}|${a.id}|${a.change}`));
  return [...m.values()]
    .filter((a) => a.rule || !withRule.has(`${a.kind}|${a.id}|${a.change}`))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.line - b.line));
}

function mergeDiagnostics(base: readonly Diagnostic[], head: readonly Diagnostic[]): Diagnostic[] {
  const inHead = new Set(head.map((d) => `${d.file}|${d.line}|${d.message}`));
  return [
    ...head,
    ...base
      .filter((d) => !inHead.has(`${d.file}|${d.line}|${d.message}`))
      .map((d) => ({ ...d, message: `at base: ${d.message}` })),
  ];
}
