import type { CompiledAdminPolicy, CompiledPolicy } from '../engine/compile.js';
import type { IpSet } from '../engine/ipSet.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import { lineOf } from '../manifests/locate.js';
import type { Cluster, NetworkPolicy, Workload } from '../manifests/model.js';
import { compiledPolicy, type AdminPolicyChange, type ObjectChanges, type PolicyChange } from './objectChanges.js';
import type { Attribution } from './types.js';

/**
 * One side of a pair: a workload of that side's cluster, or a set of addresses. `point`, when given, is an
 * address of the set that stands for all of it: the set lies inside one IP range of each side's partition
 * (an address atom of the diff), and a partition respects every block of its cluster's policies, so each
 * rule matches all of the set or none of it (a lookup of one address instead of a set subtraction).
 */
export type PairEnd = { readonly workload: Workload } | { readonly ips: IpSet; readonly point?: bigint };

/** Does a rule (of the policies of either side) match every address of an address end? */
function matchesIpEnd(r: { readonly ipSet: IpSet; matchesIps(s: IpSet): boolean }, end: { readonly ips: IpSet; readonly point?: bigint }): boolean {
  return end.point !== undefined ? r.ipSet.containsPoint(end.point) : r.matchesIps(end.ips);
}

export interface SidePair {
  readonly matrix: ReachabilityMatrix;
  readonly src: PairEnd;
  readonly dst: PairEnd;
}

interface Contribution {
  readonly key: string;
  readonly rule?: { direction: 'ingress' | 'egress'; index: number; path: readonly (string | number)[] };
}

export interface Attributor {
  /** The objects whose change made the pair's allowed ports differ between base and head. */
  attribute(base: SidePair, head: SidePair): Attribution[];
}

/**
 * Attribution by counterfactual per object: a changed policy is a cause of a pair's change iff its own
 * contribution to that pair (does it select the pair's pod, and which ports do its matching rules allow)
 * differs between its base and head versions. A workload or namespace whose labels changed is a cause iff
 * some unchanged policy contributes differently to the pair with the old labels than with the new ones, or
 * iff no policy change explains the pair.
 */
export function createAttributor(base: ReachabilityMatrix, head: ReachabilityMatrix, changes: ObjectChanges): Attributor {
  const adminKey = (p: CompiledAdminPolicy) => `${p.policy.tier}/${p.policy.name}`;
  const adminOf = (m: ReachabilityMatrix) => new Map([...m.compiled.admin, ...(m.compiled.baseline ? [m.compiled.baseline] : [])].map((p) => [adminKey(p), p]));
  const adminBase = adminOf(base);
  const adminHead = adminOf(head);
  // Unchanged head policies by namespace, built on first use: a policy only selects workloads of its own
  // namespace, so only those of the pair's namespaces can contribute to it.
  let unchangedHead: Map<string, CompiledPolicy[]> | undefined;
  const unchangedIn = (namespace: string): readonly CompiledPolicy[] => {
    if (!unchangedHead) {
      const changedIds = new Set(changes.policies.map((c) => c.id));
      unchangedHead = new Map();
      for (const p of head.compiled.policies) {
        if (changedIds.has(p.policy.id)) continue;
        const list = unchangedHead.get(p.policy.namespace);
        if (list) list.push(p);
        else unchangedHead.set(p.policy.namespace, [p]);
      }
    }
    return unchangedHead.get(namespace) ?? [];
  };

  const attributions = new Map<PolicyChange, Map<number, Attribution>>();
  // What changed policies contribute to pairs with an address end, by what decides it (see contributionTo).
  const contributions: ContributionMemo = new Map();

  // The namespaces of both sides' workload ends, each once.
  const namespacesOf = (b: SidePair, h: SidePair): string[] => {
    const out: string[] = [];
    addNamespace(out, b.src);
    addNamespace(out, b.dst);
    addNamespace(out, h.src);
    addNamespace(out, h.dst);
    return out;
  };

  // The changed policy c, if its change is a cause of the pair's: its attribution added to `out`.
  const policyCause = (c: PolicyChange, b: SidePair, h: SidePair, out: Attribution[]): void => {
    const pb = compiledPolicy(base, c, 'base');
    const ph = compiledPolicy(head, c, 'head');
    for (let d = 0; d < DIRECTIONS.length; d++) {
      const direction = DIRECTIONS[d]!;
      const before = pb ? contributionTo(pb, direction, b, contributions) : undefined;
      const after = ph ? contributionTo(ph, direction, h, contributions) : undefined;
      if ((before?.key ?? '') === (after?.key ?? '')) continue;
      // Point at a rule where one is involved: the head's, else the base rule that used to match, at
      // its head position when the policy still has that rule (an edited rule), else at base.
      const useHead = ph && (after?.rule || !before?.rule || before.rule.index < (direction === 'ingress' ? ph.ingress : ph.egress).length);
      const version = after?.rule ? after : (before?.rule ? before : (after ?? before!));
      // The same cause for many pairs: its line is looked up in the file once.
      // (As a number: built for every changed pair.)
      const key = ((version.rule?.index ?? -1) + 1) * 8 + (useHead ? 4 : 0) + (direction === 'ingress' ? 2 : 0) + (version === after ? 1 : 0);
      let byVersion = attributions.get(c);
      if (!byVersion) attributions.set(c, (byVersion = new Map()));
      let a = byVersion.get(key);
      if (!a) {
        const policy = (useHead ? ph : pb)!.policy;
        const cluster = useHead ? head.cluster : base.cluster;
        a = policyAttribution(c, policy, cluster, version, direction);
        byVersion.set(key, a);
      }
      out.push(a);
      break;
    }
  };

  return {
    attribute(b, h) {
      const out: Attribution[] = [];
      // The changed policies of the pair's namespaces (each in the list of its own namespace only), in order.
      // (Called for every changed pair, thousands for a new block: no set or iterator made per call.)
      const namespaces = namespacesOf(b, h);
      for (let n = 0; n < namespaces.length; n++) {
        const list = changes.policiesByNamespace.get(namespaces[n]!);
        if (list !== undefined) for (let k = 0; k < list.length; k++) policyCause(list[k]!, b, h, out);
      }
      for (const c of changes.adminPolicies) {
        const key = `${c.kind === 'AdminNetworkPolicy' ? 'admin' : 'baseline'}/${c.id}`;
        const pb = c.base ? adminBase.get(key) : undefined;
        const ph = c.head ? adminHead.get(key) : undefined;
        for (const direction of ['ingress', 'egress'] as const) {
          const before = pb ? adminContribution(pb, direction, b) : undefined;
          const after = ph ? adminContribution(ph, direction, h) : undefined;
          if ((before?.key ?? '') === (after?.key ?? '')) continue;
          const useHead = Boolean(ph && (after?.rule || !before?.rule));
          const version = useHead ? after! : (before ?? after)!;
          out.push(adminAttribution(c, (useHead ? ph : pb)!, useHead ? head.cluster : base.cluster, version, direction));
          break;
        }
      }
      const labelCauses = changes.workloads.size > 0 || changes.namespaces.size > 0 ? labelAttributions(b, h, changes, head.cluster) : NO_ATTRIBUTIONS;
      if (labelCauses.length > 0) {
        const labelsMatter =
          out.length === 0 ||
          namespaces.some((ns) =>
            unchangedIn(ns).some((p) =>
              (['ingress', 'egress'] as const).some(
                (d) => (contribution(p, d, { ...h, src: b.src, dst: b.dst })?.key ?? '') !== (contribution(p, d, h)?.key ?? ''),
              ),
            ),
          );
        if (labelsMatter) out.push(...labelCauses);
      }
      return out;
    },
  };
}

/** For tests: false computes every contribution (no memo). Returns the previous setting. */
let memoContributions = true;
export function setContributionMemo(on: boolean): boolean {
  const was = memoContributions;
  memoContributions = on;
  return was;
}

const DIRECTIONS = ['ingress', 'egress'] as const;
const NO_ATTRIBUTIONS: readonly Attribution[] = [];

/** Adds the namespace of a workload end to `out` unless it is there. */
function addNamespace(out: string[], e: PairEnd): void {
  if ('workload' in e && !out.includes(e.workload.namespace)) out.push(e.workload.namespace);
}

/** Contributions by policy, then selected workload, then direction and the rules matching the address end. */
type ContributionMemo = Map<CompiledPolicy, Map<Workload, Map<string, Contribution | undefined>>>;

/**
 * contribution(), kept for pairs whose peer is a set of addresses: what a policy contributes to such a pair
 * follows from the selected workload and which of its rules match the addresses (a new block opens a port to
 * thousands of address atoms, each a pair of its own, and few differ in which rules match them). Only the
 * matching is done per pair; the keys (strings of ports) are made once per distinct answer.
 */
function contributionTo(p: CompiledPolicy, direction: 'ingress' | 'egress', pair: SidePair, memo: ContributionMemo): Contribution | undefined {
  const selected = direction === 'ingress' ? pair.dst : pair.src;
  const peer = direction === 'ingress' ? pair.src : pair.dst;
  if (!memoContributions || !('workload' in selected) || 'workload' in peer) return contribution(p, direction, pair);
  const rules = direction === 'ingress' ? p.ingress : p.egress;
  let sig = direction === 'ingress' ? 'i' : 'e';
  for (let k = 0; k < rules.length; k++) sig += matchesIpEnd(rules[k]!, peer) ? '1' : '0';
  let byWorkload = memo.get(p);
  if (byWorkload === undefined) memo.set(p, (byWorkload = new Map()));
  let bySig = byWorkload.get(selected.workload);
  if (bySig === undefined) byWorkload.set(selected.workload, (bySig = new Map()));
  if (bySig.has(sig)) return bySig.get(sig);
  const c = contribution(p, direction, pair);
  bySig.set(sig, c);
  return c;
}

/** What one policy contributes to a pair in one direction: undefined when it doesn't select the pair's pod. */
function contribution(p: CompiledPolicy, direction: 'ingress' | 'egress', pair: SidePair): Contribution | undefined {
  const selected = direction === 'ingress' ? pair.dst : pair.src;
  const peer = direction === 'ingress' ? pair.src : pair.dst;
  if (!('workload' in selected)) return undefined;
  if (direction === 'ingress' ? !p.policy.affectsIngress : !p.policy.affectsEgress) return undefined;
  if (!p.selects(selected.workload)) return undefined;
  const dstWorkload = 'workload' in pair.dst ? pair.dst.workload : null;
  const parts: string[] = [];
  let rule: Contribution['rule'];
  for (const r of direction === 'ingress' ? p.ingress : p.egress) {
    const matches = 'workload' in peer ? r.matchesPod(peer.workload) : matchesIpEnd(r, peer);
    if (!matches) continue;
    const ports = r.portsFor(dstWorkload);
    if (ports.isEmpty()) continue;
    parts.push(ports.key());
    rule ??= { direction, index: r.rule.index, path: r.rule.path };
  }
  // "selected, nothing allowed" (isolation) is a contribution too: the empty key differs from undefined.
  const key = `selected:${parts.length > 1 ? parts.sort().join('+') : parts.length === 1 ? parts[0]! : ''}`;
  return rule ? { key, rule } : { key };
}

/**
 * What one admin policy contributes to a pair in one direction: its priority and, rule by rule in order, the
 * action and ports of each rule that matches the peer (so a changed priority, action, order or port counts).
 */
function adminContribution(p: CompiledAdminPolicy, direction: 'ingress' | 'egress', pair: SidePair): Contribution | undefined {
  const selected = direction === 'ingress' ? pair.dst : pair.src;
  const peer = direction === 'ingress' ? pair.src : pair.dst;
  if (!('workload' in selected) || !p.selects(selected.workload)) return undefined;
  const dstWorkload = 'workload' in pair.dst ? pair.dst.workload : null;
  const parts: string[] = [];
  let rule: Contribution['rule'];
  for (const r of p[direction]) {
    const matches = 'workload' in peer ? r.matchesPod(peer.workload) : matchesIpEnd(r, peer);
    if (!matches) continue;
    const ports = r.portsFor(dstWorkload);
    if (ports.isEmpty()) continue;
    parts.push(`${r.action}:${ports.key()}`);
    rule ??= { direction, index: r.rule.index, path: r.rule.path };
  }
  if (parts.length === 0) return undefined;
  return { key: `${p.policy.priority ?? 'baseline'}:${parts.join('+')}`, ...(rule ? { rule } : {}) };
}

function adminAttribution(
  c: AdminPolicyChange,
  p: CompiledAdminPolicy,
  cluster: Cluster,
  version: Contribution,
  direction: 'ingress' | 'egress',
): Attribution {
  const path = version.rule?.path ?? ['spec', direction];
  const policy = p.policy;
  return {
    kind: c.kind,
    id: c.id,
    change: c.change,
    file: policy.source.file,
    line: lineOf(cluster.texts, policy.source, path),
    ...(version.rule ? { rule: { direction: version.rule.direction, index: version.rule.index } } : {}),
    ...(policy.priority !== undefined ? { detail: `priority ${policy.priority}` } : {}),
  };
}

function policyAttribution(
  c: PolicyChange,
  policy: NetworkPolicy,
  cluster: Cluster,
  version: Contribution,
  direction: 'ingress' | 'egress',
): Attribution {
  const path = version.rule?.path ?? ['spec', direction];
  return {
    kind: 'NetworkPolicy',
    id: c.id,
    change: c.change,
    file: policy.source.file,
    line: lineOf(cluster.texts, policy.source, path),
    ...(version.rule ? { rule: { direction: version.rule.direction, index: version.rule.index } } : {}),
  };
}

function labelAttributions(b: SidePair, h: SidePair, changes: ObjectChanges, cluster: Cluster): Attribution[] {
  const out: Attribution[] = [];
  for (const end of [h.src, h.dst]) {
    if (!('workload' in end)) continue;
    const w = end.workload;
    const wc = changes.workloads.get(w.id);
    if (wc) {
      out.push({ kind: w.kind, id: w.id, change: wc.change, file: w.source.file, line: w.source.line, detail: wc.detail });
    }
    const nc = changes.namespaces.get(w.namespace);
    if (nc) {
      const ns = cluster.namespaces.get(w.namespace);
      out.push({
        kind: 'Namespace',
        id: w.namespace,
        change: 'labels changed',
        file: ns?.source?.file ?? '',
        line: ns?.source?.line ?? 0,
        detail: nc.detail,
      });
    }
  }
  void b;
  return out;
}
