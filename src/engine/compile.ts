import {
  AUTO_NAMESPACE_LABEL,
  type AdminAction,
  type AdminNetworkPolicy,
  type AdminRule,
  type Cluster,
  type LabelSelector,
  type Labels,
  type NetworkPolicy,
  type PolicyPeer,
  type PolicyPort,
  type PolicyRule,
  type Protocol,
  type Workload,
} from '../manifests/model.js';
import { IpSet } from './ipSet.js';
import { compileSelector, labelsKey, type LabelMatcher } from './labelSelector.js';
import { PortSet } from './portSet.js';

export type Direction = 'ingress' | 'egress';

/** One peer of a rule, compiled. */
export interface CompiledPeer {
  readonly peer: PolicyPeer;
  /** Equal for peers that match exactly the same pods and addresses (selectors and namespace, or addresses). */
  readonly key: string;
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
  /** Equal for rules whose from/to match the same peers (the peers' keys, in order). */
  readonly peersKey: string;
}

export interface CompiledPolicy {
  readonly policy: NetworkPolicy;
  /** Does the policy select this workload (same namespace, podSelector matches, not hostNetwork)? */
  selects(w: Workload): boolean;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
}

/** One rule of an (Baseline)AdminNetworkPolicy, compiled. */
export interface CompiledAdminRule {
  readonly policy: AdminNetworkPolicy;
  readonly direction: Direction;
  readonly rule: AdminRule;
  readonly action: AdminAction;
  /** The addresses of the rule's `networks` peers. */
  readonly ipSet: IpSet;
  /** Does a namespaces/pods peer (or, for hostNetwork pods, a `nodes: {}` peer) match this workload? */
  matchesPod(w: Workload): boolean;
  /** Is every address of `s` in the rule's networks? */
  matchesIps(s: IpSet): boolean;
  /** The ports the rule matches towards `dst` (null: an IP destination, where port names match nothing). */
  portsFor(dst: Workload | null): PortSet;
}

export interface CompiledAdminPolicy {
  readonly policy: AdminNetworkPolicy;
  /** Does the subject select this workload? hostNetwork pods are never selected (they are outside pod networking). */
  selects(w: Workload): boolean;
  readonly ingress: readonly CompiledAdminRule[];
  readonly egress: readonly CompiledAdminRule[];
}

export interface CompiledCluster {
  readonly cluster: Cluster;
  readonly policies: readonly CompiledPolicy[];
  /** AdminNetworkPolicies in evaluation order (priority, then name). */
  readonly admin: readonly CompiledAdminPolicy[];
  /** The compiled NetworkPolicy with this `ns/name` id (ids are unique: the loader rejects duplicates). */
  policy(id: string): CompiledPolicy | undefined;
  readonly baseline?: CompiledAdminPolicy;
  namespaceLabels(namespace: string): Labels;
}

/**
 * The compiled policies of a cluster sharing most policy records with this one, and where each of this
 * cluster's policies is among them (-1: not there), by position: what compileCluster may take as they are.
 */
export interface CompileReuse {
  readonly cluster: Cluster;
  readonly policies: readonly CompiledPolicy[];
  readonly matchInA: Int32Array;
}

/**
 * Compile every policy of a cluster once into matchers, so that evaluating a (src, dst) pair is a handful of
 * predicate calls (the design of policy-assistant's matcher package). With `reuse` (the matrix a head of a
 * pull request borrows from), the records both clusters hold take the other's compiled forms by position.
 */
export function compileCluster(cluster: Cluster, reuse?: CompileReuse): CompiledCluster {
  // Memoised: selectors ask for a namespace's labels once per (peer, class) pair.
  const labelsByNamespace = new Map<string, Labels>();
  const nsLabels = (ns: string): Labels => {
    let labels = labelsByNamespace.get(ns);
    if (!labels) {
      labels = cluster.namespaces.get(ns)?.labels ?? { [AUTO_NAMESPACE_LABEL]: ns };
      labelsByNamespace.set(ns, labels);
    }
    return labels;
  };
  // Base and head of a diff share most policy objects (the loader memoises them): compile each once. A policy
  // with a namespaceSelector peer reads namespace labels, so its compiled form is reused only under the same
  // namespace labels (the same fingerprint); one without reads none and is reused whatever the namespaces.
  const policies = compilePolicies(cluster, nsLabels, reuse);
  const admin = (cluster.adminPolicies ?? []).map((p) => compileAdminPolicy(p, nsLabels));
  const baseline = cluster.baselinePolicy ? compileAdminPolicy(cluster.baselinePolicy, nsLabels) : undefined;
  let byId: Map<string, CompiledPolicy> | undefined;
  const policy = (id: string) => (byId ??= new Map(policies.map((p) => [p.policy.id, p]))).get(id);
  return { cluster, policies, admin, ...(baseline ? { baseline } : {}), namespaceLabels: nsLabels, policy };
}

/**
 * The compiled form of every NetworkPolicy of `cluster`. A function of its own, so that its closures' context
 * (which holds every peer key seen) is not the compiled cluster's.
 */
function compilePolicies(cluster: Cluster, nsLabels: (ns: string) => Labels, reuse: CompileReuse | undefined): CompiledPolicy[] {
  const fingerprint = fingerprintId(cluster);
  // Real clusters repeat the same peers in every namespace (DNS egress, the ingress controller, the metadata
  // endpoint): equal peers are compiled once per compile, not once per policy.
  const samePeers = new Map<string, CompiledPeer>();
  // The other cluster's compiled form of a shared record is what the cache would give under the same
  // namespace labels (a fingerprint id per distinct fingerprint): taken by position, without a lookup of
  // each of 75,000 records in the cache.
  const taken = reuse !== undefined && fingerprintId(reuse.cluster) === fingerprint ? reuse : undefined;
  const out = new Array<CompiledPolicy>(cluster.policies.length);
  for (let i = 0; i < out.length; i++) {
    const k = taken === undefined ? -1 : taken.matchInA[i]!;
    out[i] = k >= 0 ? taken!.policies[k]! : compiledPolicy(cluster.policies[i]!, fingerprint, nsLabels, samePeers);
  }
  return out;
}

/** A policy's compiled form under a fingerprint id: from the cache, else compiled (and cached). */
function compiledPolicy(p: NetworkPolicy, fingerprint: number, nsLabels: (ns: string) => Labels, samePeers: Map<string, CompiledPeer>): CompiledPolicy {
  const hits = compiledPolicies.get(p);
  for (let h = hits; h !== undefined; h = h.older) {
    if (h.fingerprint === fingerprint || h.fingerprint === ANY_NAMESPACES) return h.compiled;
  }
  const compiled = compilePolicy(p, nsLabels, samePeers);
  const fp = readsNamespaceLabels(p) ? fingerprint : ANY_NAMESPACES;
  // Two entries: base and head of a diff whose namespace labels differ each keep theirs.
  const older = hits === undefined ? undefined : { fingerprint: hits.fingerprint, compiled: hits.compiled };
  compiledPolicies.set(p, older === undefined ? { fingerprint: fp, compiled } : { fingerprint: fp, compiled, older });
  return compiled;
}

/** A policy's compiled form with the fingerprint id it was compiled under, and the one before (at most). */
interface CompiledEntry {
  readonly fingerprint: number;
  readonly compiled: CompiledPolicy;
  readonly older?: CompiledEntry;
}

/** Compiled policies by policy record, newest first. */
const compiledPolicies = new WeakMap<NetworkPolicy, CompiledEntry>();
/** The fingerprint id of a policy whose compiled form reads no namespace labels. */
const ANY_NAMESPACES = 0;

function readsNamespaceLabels(p: NetworkPolicy): boolean {
  const reads = (r: PolicyRule): boolean =>
    r.peers !== 'all' && r.peers.some((peer) => peer.type === 'pods' && peer.namespaceSelector !== undefined);
  return p.ingress.some(reads) || p.egress.some(reads);
}

// A fingerprint holds every namespace with its labels: about 1 MB at 10,000 namespaces. Comparing two such
// strings costs a scan of both, so each cluster's is computed once, and equal fingerprints get one small id
// (compared once per compile, not once per policy). Keyed by the namespaces map, which clusters derived from
// one another share (a map is not modified once its cluster is built).
const fingerprints = new WeakMap<Cluster['namespaces'], { readonly text: string; id?: number }>();
/** The fingerprints seen last, with their ids; a fingerprint not among them gets a new id. */
const recentIds: { readonly text: string; readonly id: number }[] = [];
const RECENT_IDS = 8;
let nextFingerprintId = ANY_NAMESPACES + 1;

function fingerprintId(cluster: Cluster): number {
  namespaceFingerprint(cluster);
  const memo = fingerprints.get(cluster.namespaces)!;
  if (memo.id !== undefined) return memo.id;
  let found = recentIds.find((r) => r.text === memo.text);
  if (found === undefined) {
    found = { text: memo.text, id: nextFingerprintId++ };
    recentIds.unshift(found);
    recentIds.length = Math.min(recentIds.length, RECENT_IDS);
  }
  memo.id = found.id;
  return found.id;
}

/**
 * Every namespace with its labels, as one string: equal strings mean namespace selectors decide alike.
 * Computed once per cluster (a Cluster is not modified once built).
 */
export function namespaceFingerprint(cluster: Cluster): string {
  const hit = fingerprints.get(cluster.namespaces);
  if (hit !== undefined) return hit.text;
  const parts: string[] = [];
  for (const [name, ns] of cluster.namespaces) {
    parts.push(`${name}\u0002${labelsKey(ns.labels)}`);
  }
  const text = parts.sort().join('\u0003');
  fingerprints.set(cluster.namespaces, { text });
  return text;
}

// Compiled policies and rules are objects of these classes, not of closures: a compiled cluster holds one
// per policy and rule of the model (75,000 policies at the huge bench tier), and each closure came with a
// context of its own.

class Policy implements CompiledPolicy {
  constructor(
    readonly policy: NetworkPolicy,
    private readonly podMatch: LabelMatcher,
    readonly ingress: readonly CompiledRule[],
    readonly egress: readonly CompiledRule[],
  ) {}

  selects(w: Workload): boolean {
    return !w.hostNetwork && w.namespace === this.policy.namespace && this.podMatch(w.labels);
  }
}

class Rule implements CompiledRule {
  constructor(
    readonly policy: NetworkPolicy,
    readonly direction: Direction,
    readonly rule: PolicyRule,
    readonly peers: readonly CompiledPeer[],
    readonly matchesAllPeers: boolean,
    readonly ipSet: IpSet,
    /** Whether hostNetwork pods (node addresses) match: see compileRule. */
    private readonly matchesNodes: boolean,
    private readonly numeric: PortSet,
    readonly namedPorts: readonly NamedPortRef[],
    /** For rules with named ports: what portsFor's results are memoised under (per destination). */
    private readonly portsKey: string,
    readonly peersKey: string,
  ) {}

  matchesPod(w: Workload): boolean {
    if (w.hostNetwork) return this.matchesNodes;
    if (this.matchesAllPeers) return true;
    const peers = this.peers;
    for (let i = 0; i < peers.length; i++) if (peers[i]!.matchesPod(w)) return true;
    return false;
  }

  matchesIps(s: IpSet): boolean {
    return this.ipSet.contains(s);
  }

  portsFor(dst: Workload | null): PortSet {
    if (this.namedPorts.length === 0 || dst === null) return this.numeric;
    // Named ports resolve once per destination workload and rule ports (the matrix asks per class
    // representative, and rules repeat the same ports).
    let byPorts = resolvedPorts.get(dst);
    if (byPorts === undefined) resolvedPorts.set(dst, (byPorts = new Map()));
    let hit = byPorts.get(this.portsKey);
    if (hit === undefined) byPorts.set(this.portsKey, (hit = this.numeric.union(resolveNamed(this.namedPorts, dst))));
    return hit;
  }
}

/** Rule ports resolved on a destination, by the rules' portsKey. */
const resolvedPorts = new WeakMap<Workload, Map<string, PortSet>>();

/** One string per distinct portsKey: rules repeat the same few named ports, and each rule keeps its key. */
const portsKeys = new Map<string, string>();

function internPortsKey(key: string): string {
  const hit = portsKeys.get(key);
  if (hit !== undefined) return hit;
  if (portsKeys.size >= 10_000) portsKeys.clear();
  portsKeys.set(key, key);
  return key;
}

function compilePolicy(policy: NetworkPolicy, nsLabels: (ns: string) => Labels, samePeers: Map<string, CompiledPeer>): CompiledPolicy {
  return new Policy(
    policy,
    compileSelector(policy.podSelector),
    compileRules(policy, 'ingress', policy.ingress, nsLabels, samePeers),
    compileRules(policy, 'egress', policy.egress, nsLabels, samePeers),
  );
}

const NO_RULES: readonly CompiledRule[] = [];
const NO_PEERS: readonly CompiledPeer[] = [];
const NO_NAMED_PORTS: readonly NamedPortRef[] = [];

// Loops rather than `map` with closures, here and below: policies are compiled once per process (a cold
// run), mostly before the optimising compiler has caught up, and plain loops run faster until then.

function compileRules(
  policy: NetworkPolicy,
  direction: Direction,
  rules: readonly PolicyRule[],
  nsLabels: (ns: string) => Labels,
  samePeers: Map<string, CompiledPeer>,
): readonly CompiledRule[] {
  const n = rules.length;
  if (n === 0) return NO_RULES;
  if (n === 1) return [compileRule(policy, direction, rules[0]!, nsLabels, samePeers)];
  const out: CompiledRule[] = [];
  for (let i = 0; i < n; i++) out.push(compileRule(policy, direction, rules[i]!, nsLabels, samePeers));
  return out.slice(); // at its length (a list grown item by item keeps room for 17)
}

function compileRule(
  policy: NetworkPolicy,
  direction: Direction,
  rule: PolicyRule,
  nsLabels: (ns: string) => Labels,
  samePeers: Map<string, CompiledPeer>,
): CompiledRule {
  const rulePeers = rule.peers;
  if (rulePeers === 'all') {
    const { numeric, named } = compilePorts(rule.ports);
    return new Rule(policy, direction, rule, NO_PEERS, true, IpSet.all, true, numeric, named, portsKeyOf(numeric, named), '*');
  }
  const n = rulePeers.length;
  const first = sharedPeer(policy, rulePeers[0]!, nsLabels, samePeers);
  // At its length: most rules have one peer (a list grown item by item keeps room for 17, and copying it to
  // its length left that list as garbage).
  const peers: CompiledPeer[] = [first];
  let ipSet = IpSet.empty.union(first.ipSet);
  let peersKey = first.key;
  for (let i = 1; i < n; i++) {
    const peer = sharedPeer(policy, rulePeers[i]!, nsLabels, samePeers);
    peers.push(peer);
    if (peer.ipSet !== IpSet.empty) ipSet = ipSet.union(peer.ipSet);
    peersKey = `${peersKey}\n${peer.key}`;
  }
  // Node traffic of hostNetwork pods comes from node IPs, which manifests don't tell: it matches an ipBlock
  // only when the block covers a whole address family (0.0.0.0/0 or ::/0), where the answer is certain.
  const matchesNodes = ipSet.coversFamily('IPv4') || ipSet.coversFamily('IPv6');
  const { numeric, named } = compilePorts(rule.ports);
  return new Rule(policy, direction, rule, n === 1 ? peers : peers.slice(), false, ipSet, matchesNodes, numeric, named, portsKeyOf(numeric, named), peersKey);
}

/** What a rule's resolved named ports are memoised under: '' without named ports. */
function portsKeyOf(numeric: PortSet, named: readonly NamedPortRef[]): string {
  if (named.length === 0) return '';
  let key = `${numeric.key()}|`;
  for (let i = 0; i < named.length; i++) key += `${i === 0 ? '' : ','}${named[i]!.protocol}:${named[i]!.name}`;
  return internPortsKey(key);
}

/**
 * A compiled peer shared by equal peers: the same selectors (and namespace, without a namespaceSelector), or
 * the same ipBlock text (not merely the same addresses: warnings quote the peer's own cidr and except).
 */
function sharedPeer(policy: NetworkPolicy, peer: PolicyPeer, nsLabels: (ns: string) => Labels, samePeers: Map<string, CompiledPeer>): CompiledPeer {
  const key = peer.type === 'ipBlock' ? `cidr|${peer.cidr}|${peer.except.join(',')}` : podPeerKey(policy, peer);
  let compiled = samePeers.get(key);
  if (compiled === undefined) samePeers.set(key, (compiled = compilePeer(policy, peer, nsLabels, key)));
  return compiled;
}

function podPeerKey(policy: NetworkPolicy, peer: Extract<PolicyPeer, { type: 'pods' }>): string {
  const ns = peer.namespaceSelector ? selectorKey(peer.namespaceSelector) : `in:${policy.namespace}`;
  return `pods|${ns}|${peer.podSelector ? selectorKey(peer.podSelector) : '*'}`;
}

/**
 * A selector as a short string, equal for equal selectors (labels in order, as JSON.stringify would have
 * them) and unambiguous whatever the strings (each is length-prefixed): keys are made for every peer of
 * every policy, and this is shorter and cheaper than JSON.
 */
function selectorKey(s: LabelSelector): string {
  let out = '';
  const labels = s.matchLabels;
  for (const k in labels) {
    const v = labels[k]!;
    out += `${k.length}:${k}=${v.length}:${v};`;
  }
  const exprs = s.matchExpressions;
  if (exprs.length > 0) {
    // Each requirement as its key, operator and values, length-prefixed like the labels (what matching reads;
    // JSON.stringify of the list was a measurable cost of a cold compile).
    out += `&${exprs.length}:`;
    for (const e of exprs) {
      const values = e.values ?? NO_VALUES;
      out += `${e.key.length}:${e.key}${e.operator.length}:${e.operator}${values.length}:`;
      for (const v of values) out += `${v.length}:${v}`;
    }
  }
  return out;
}

const NO_VALUES: readonly string[] = [];

/** `podKey`: podPeerKey of a pods peer, already computed by the caller. */
function compilePeer(policy: NetworkPolicy, peer: PolicyPeer, nsLabels: (ns: string) => Labels, podKey: string): CompiledPeer {
  if (peer.type === 'ipBlock') {
    const ipSet = IpSet.fromIpBlock(peer.cidr, peer.except);
    return new IpBlockPeer(peer, `ip|${ipSet.key()}`, ipSet);
  }
  const podMatch: LabelMatcher | undefined = peer.podSelector ? compileSelector(peer.podSelector) : undefined;
  const nsMatch: LabelMatcher | undefined = peer.namespaceSelector
    ? compileSelector(peer.namespaceSelector)
    : undefined;
  // Peers with equal keys match the same pods: the matrix computes each key's matches once.
  return new PodPeer(peer, podKey, policy.namespace, nsMatch, podMatch, nsLabels);
}

// Compiled peers are objects of these two classes (rather than literals with a closure each): one shape per
// kind, which the code reading them sees from the start, and no closure context per peer.

class IpBlockPeer implements CompiledPeer {
  constructor(
    readonly peer: PolicyPeer,
    readonly key: string,
    readonly ipSet: IpSet,
  ) {}

  matchesPod(): boolean {
    return false;
  }
}

class PodPeer implements CompiledPeer {
  readonly ipSet: IpSet = IpSet.empty;

  constructor(
    readonly peer: PolicyPeer,
    readonly key: string,
    private readonly namespace: string,
    private readonly nsMatch: LabelMatcher | undefined,
    private readonly podMatch: LabelMatcher | undefined,
    private readonly nsLabels: (ns: string) => Labels,
  ) {}

  matchesPod(w: Workload): boolean {
    if (w.hostNetwork) return false;
    // No namespaceSelector: the policy's own namespace (API reference, NetworkPolicyPeer).
    const nsMatch = this.nsMatch;
    if (nsMatch ? !nsMatch(this.nsLabels(w.namespace)) : w.namespace !== this.namespace) return false;
    const podMatch = this.podMatch;
    return podMatch ? podMatch(w.labels) : true;
  }
}

interface NamedPortRef {
  readonly name: string;
  readonly protocol: Protocol;
}

function compilePorts(ports: PolicyRule['ports']): { numeric: PortSet; named: readonly NamedPortRef[] } {
  if (ports === 'all') return { numeric: PortSet.all, named: NO_NAMED_PORTS };
  let numeric = PortSet.empty;
  let named: NamedPortRef[] | undefined;
  for (const p of ports as readonly PolicyPort[]) {
    if (typeof p.port === 'string') (named ??= []).push({ name: p.port, protocol: p.protocol });
    else if (p.port === undefined) numeric = numeric.union(PortSet.of(p.protocol));
    else numeric = numeric.union(PortSet.of(p.protocol, p.port, p.endPort ?? p.port));
  }
  return { numeric, named: named ?? NO_NAMED_PORTS };
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

function compileAdminPolicy(policy: AdminNetworkPolicy, nsLabels: (ns: string) => Labels): CompiledAdminPolicy {
  const nsMatch = compileSelector(policy.subject.namespaceSelector);
  const podMatch = policy.subject.podSelector ? compileSelector(policy.subject.podSelector) : () => true;
  return {
    policy,
    selects: (w) => !w.hostNetwork && nsMatch(nsLabels(w.namespace)) && podMatch(w.labels),
    ingress: policy.ingress.map((r) => compileAdminRule(policy, 'ingress', r, nsLabels)),
    egress: policy.egress.map((r) => compileAdminRule(policy, 'egress', r, nsLabels)),
  };
}

function compileAdminRule(
  policy: AdminNetworkPolicy,
  direction: Direction,
  rule: AdminRule,
  nsLabels: (ns: string) => Labels,
): CompiledAdminRule {
  const podPeers: ((w: Workload) => boolean)[] = [];
  let ipSet = IpSet.empty;
  let allNodes = false;
  for (const peer of rule.peers) {
    if (peer.type === 'networks') {
      ipSet = peer.cidrs.reduce((s, c) => s.union(IpSet.fromCidr(c)), ipSet);
    } else if (peer.type === 'nodes') {
      // Node labels are not in manifests: only `nodes: {}` (every node) is known to match.
      if (Object.keys(peer.nodeSelector.matchLabels).length === 0 && peer.nodeSelector.matchExpressions.length === 0) allNodes = true;
    } else {
      const ns = compileSelector(peer.namespaceSelector);
      const pod = peer.type === 'pods' ? compileSelector(peer.podSelector) : () => true;
      podPeers.push((w) => ns(nsLabels(w.namespace)) && pod(w.labels));
    }
  }
  // Networks match in-cluster traffic too, but pod and node addresses are unknown: a workload is matched only
  // when the networks cover a whole address family, where the answer is certain (as for ipBlocks, compile.ts).
  const coversPods = ipSet.coversFamily('IPv4') || ipSet.coversFamily('IPv6');
  const numeric = adminNumericPorts(rule);
  const named = rule.ports === 'all' ? [] : rule.ports.flatMap((p) => (p.type === 'named' ? [p.name] : []));
  return {
    policy,
    direction,
    rule,
    action: rule.action,
    ipSet,
    matchesPod: (w) => coversPods || (w.hostNetwork ? allNodes : podPeers.some((m) => m(w))),
    matchesIps: (s) => ipSet.contains(s),
    portsFor:
      named.length === 0
        ? () => numeric
        : (dst) => {
            let s = numeric;
            for (const cp of dst?.ports ?? []) if (cp.name && named.includes(cp.name)) s = s.union(PortSet.of(cp.protocol, cp.port, cp.port));
            return s;
          },
  };
}

function adminNumericPorts(rule: AdminRule): PortSet {
  if (rule.ports === 'all') return PortSet.all;
  let s = PortSet.empty;
  for (const p of rule.ports) {
    if (p.type === 'number') s = s.union(PortSet.of(p.protocol, p.port, p.port));
    else if (p.type === 'range') s = s.union(PortSet.of(p.protocol, p.start, p.end));
  }
  return s;
}

/** What the admin tier decides for one (subject, peer) pair in one direction, per port. */
export interface AdminDecision {
  readonly allow: PortSet;
  readonly deny: PortSet;
  readonly pass: PortSet;
  /** The rules that decided some port, in evaluation order, with the ports they decided. */
  readonly steps: readonly { readonly rule: CompiledAdminRule; readonly ports: PortSet }[];
}

/**
 * First match wins, per port: rules in order (the ANPs already in priority order), each deciding the ports it
 * matches that no earlier rule decided (policy-assistant's DirectionResult.Resolve, on port sets).
 */
export function decideAdmin(
  rules: readonly CompiledAdminRule[],
  matchesPeer: (r: CompiledAdminRule) => boolean,
  dst: Workload | null,
  within: PortSet = PortSet.all,
): AdminDecision {
  let remaining = within;
  let allow = PortSet.empty;
  let deny = PortSet.empty;
  let pass = PortSet.empty;
  const steps: { rule: CompiledAdminRule; ports: PortSet }[] = [];
  for (const r of rules) {
    if (remaining.isEmpty()) break;
    if (!matchesPeer(r)) continue;
    const ports = r.portsFor(dst).intersect(remaining);
    if (ports.isEmpty()) continue;
    remaining = remaining.subtract(ports);
    if (r.action === 'Allow') allow = allow.union(ports);
    else if (r.action === 'Deny') deny = deny.union(ports);
    else pass = pass.union(ports);
    steps.push({ rule: r, ports });
  }
  return { allow, deny, pass, steps };
}

/**
 * The tiers combined, per port: ANP Allow and Deny are final; the rest (passed or unmatched) goes to
 * NetworkPolicy when a NetworkPolicy isolates the pod in this direction, else to the BaselineAdminNetworkPolicy,
 * whose unmatched ports are allowed.
 */
export function combineTiers(anp: { allow: PortSet; deny: PortSet }, npIsolated: boolean, npAllowed: PortSet, banpDeny: PortSet): PortSet {
  const undecided = PortSet.all.subtract(anp.allow).subtract(anp.deny);
  return anp.allow.union(undecided.intersect(npIsolated ? npAllowed : PortSet.all.subtract(banpDeny)));
}
