import {
  AUTO_NAMESPACE_LABEL,
  type Cluster,
  type Labels,
  type NetworkPolicy,
  type PolicyPeer,
  type PolicyPort,
  type PolicyRule,
  type Protocol,
  type Workload,
} from '../manifests/model.js';
import { IpSet } from './ipSet.js';
import { compileSelector, type LabelMatcher } from './labelSelector.js';
import { PortSet } from './portSet.js';

export type Direction = 'ingress' | 'egress';

/** One peer of a rule, compiled. */
export interface CompiledPeer {
  readonly peer: PolicyPeer;
  /** For pod peers: does this workload match? (hostNetwork workloads never match pod peers.) */
  matchesPod(w: Workload): boolean;
  /** For ipBlock peers: the addresses matched (cidr minus except); empty for pod peers. */
  readonly ipSet: IpSet;
}

export interface CompiledRule {
  readonly policy: NetworkPolicy;
  readonly direction: Direction;
  readonly rule: PolicyRule;
  /** Empty when the rule has no from/to ('all'). */
  readonly peers: readonly CompiledPeer[];
  readonly matchesAllPeers: boolean;
  /** Every address an ipBlock peer of the rule matches (all addresses when the rule matches all peers). */
  readonly ipSet: IpSet;
  /** Does the rule's from/to match this workload? */
  matchesPod(w: Workload): boolean;
  /** Is every address of `s` matched by the rule's from/to? */
  matchesIps(s: IpSet): boolean;
  /**
   * The ports the rule allows towards `dst` (the destination pod: for ingress the selected pod, for egress the
   * peer; null for an IP destination). Named ports resolve against the destination's container ports.
   */
  portsFor(dst: Workload | null): PortSet;
  /** Named ports of the rule, for diagnostics ("resolves on no destination"). */
  readonly namedPorts: readonly { readonly name: string; readonly protocol: Protocol }[];
}

export interface CompiledPolicy {
  readonly policy: NetworkPolicy;
  /** Does the policy select this workload (same namespace, podSelector matches, not hostNetwork)? */
  selects(w: Workload): boolean;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
}

export interface CompiledCluster {
  readonly cluster: Cluster;
  readonly policies: readonly CompiledPolicy[];
  namespaceLabels(namespace: string): Labels;
}

/**
 * Compile every policy of a cluster once into matchers, so that evaluating a (src, dst) pair is a handful of
 * predicate calls (the design of policy-assistant's matcher package).
 */
export function compileCluster(cluster: Cluster): CompiledCluster {
  const nsLabels = (ns: string): Labels =>
    cluster.namespaces.get(ns)?.labels ?? { [AUTO_NAMESPACE_LABEL]: ns };
  const policies = cluster.policies.map((p) => compilePolicy(p, nsLabels));
  return { cluster, policies, namespaceLabels: nsLabels };
}

function compilePolicy(policy: NetworkPolicy, nsLabels: (ns: string) => Labels): CompiledPolicy {
  const podMatch = compileSelector(policy.podSelector);
  return {
    policy,
    selects: (w) => !w.hostNetwork && w.namespace === policy.namespace && podMatch(w.labels),
    ingress: policy.ingress.map((r) => compileRule(policy, 'ingress', r, nsLabels)),
    egress: policy.egress.map((r) => compileRule(policy, 'egress', r, nsLabels)),
  };
}

function compileRule(
  policy: NetworkPolicy,
  direction: Direction,
  rule: PolicyRule,
  nsLabels: (ns: string) => Labels,
): CompiledRule {
  const matchesAllPeers = rule.peers === 'all';
  const peers = rule.peers === 'all' ? [] : rule.peers.map((p) => compilePeer(policy, p, nsLabels));
  const ipSet = matchesAllPeers ? IpSet.all : peers.reduce((s, p) => s.union(p.ipSet), IpSet.empty);
  // Node traffic of hostNetwork pods comes from node IPs, which manifests don't tell: it matches an ipBlock
  // only when the block covers a whole address family (0.0.0.0/0 or ::/0), where the answer is certain.
  const matchesNodes = matchesAllPeers || ipSet.coversFamily('IPv4') || ipSet.coversFamily('IPv6');
  const { numeric, named } = compilePorts(rule.ports);
  return {
    policy,
    direction,
    rule,
    peers,
    matchesAllPeers,
    ipSet,
    matchesPod: (w) => (w.hostNetwork ? matchesNodes : matchesAllPeers || peers.some((p) => p.matchesPod(w))),
    matchesIps: (s) => ipSet.contains(s),
    portsFor: named.length === 0 ? () => numeric : (dst) => numeric.union(resolveNamed(named, dst)),
    namedPorts: named,
  };
}

function compilePeer(policy: NetworkPolicy, peer: PolicyPeer, nsLabels: (ns: string) => Labels): CompiledPeer {
  if (peer.type === 'ipBlock') {
    return { peer, matchesPod: () => false, ipSet: IpSet.fromIpBlock(peer.cidr, peer.except) };
  }
  const podMatch: LabelMatcher | undefined = peer.podSelector ? compileSelector(peer.podSelector) : undefined;
  const nsMatch: LabelMatcher | undefined = peer.namespaceSelector
    ? compileSelector(peer.namespaceSelector)
    : undefined;
  return {
    peer,
    ipSet: IpSet.empty,
    matchesPod: (w) => {
      if (w.hostNetwork) return false;
      // No namespaceSelector: the policy's own namespace (API reference, NetworkPolicyPeer).
      if (nsMatch ? !nsMatch(nsLabels(w.namespace)) : w.namespace !== policy.namespace) return false;
      return podMatch ? podMatch(w.labels) : true;
    },
  };
}

interface NamedPortRef {
  readonly name: string;
  readonly protocol: Protocol;
}

function compilePorts(ports: PolicyRule['ports']): { numeric: PortSet; named: NamedPortRef[] } {
  if (ports === 'all') return { numeric: PortSet.all, named: [] };
  let numeric = PortSet.empty;
  const named: NamedPortRef[] = [];
  for (const p of ports as readonly PolicyPort[]) {
    if (typeof p.port === 'string') named.push({ name: p.port, protocol: p.protocol });
    else if (p.port === undefined) numeric = numeric.union(PortSet.of(p.protocol));
    else numeric = numeric.union(PortSet.of(p.protocol, p.port, p.endPort ?? p.port));
  }
  return { numeric, named };
}

/** A named port matches the destination's container port with that name AND protocol. */
function resolveNamed(named: readonly NamedPortRef[], dst: Workload | null): PortSet {
  if (!dst) return PortSet.empty;
  let s = PortSet.empty;
  for (const n of named) {
    for (const cp of dst.ports) {
      if (cp.name === n.name && cp.protocol === n.protocol) s = s.union(PortSet.of(cp.protocol, cp.port, cp.port));
    }
  }
  return s;
}

/** The number a named port resolves to on a workload, if any. */
export function resolveNamedPort(w: Workload, name: string, protocol: Protocol): number | undefined {
  return w.ports.find((cp) => cp.name === name && cp.protocol === protocol)?.port;
}
