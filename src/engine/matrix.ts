import { AUTO_NAMESPACE_LABEL, type AdminNetworkPolicy, type Cluster, type NetworkPolicy, type PolicyRule, type Workload } from '../manifests/model.js';
import { compileCluster, namespaceFingerprint, type CompiledAdminRule, type CompiledCluster, type CompiledPolicy, type CompiledRule, type Direction } from './compile.js';
import { partitionAddressSpace, type IpRange } from './ipPartition.js';
import { LabelIndex } from './labelIndex.js';
import { compileSelector, labelsKey, type LabelMatcher } from './labelSelector.js';
import { IpSet, type IpInterval } from './ipSet.js';
import { PortSet } from './portSet.js';
import { PortSetTable } from './portSetTable.js';
import { GROUP_THRESHOLD, SparseRow, type NodeGroup } from './sparseRow.js';
import { alignRecords, type Alignment } from '../diff/sharedRecords.js';

/** One side of a connection: a workload, or a range of addresses outside the cluster. */
export type Endpoint =
  | { readonly kind: 'workload'; readonly id: string; readonly workload: Workload }
  | { readonly kind: 'ip'; readonly id: string; readonly range: IpRange };

export interface Connection {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly ports: PortSet;
}

export interface Isolation {
  /** Policies that select the workload for ingress (empty: not isolated for ingress). */
  readonly ingress: readonly NetworkPolicy[];
  readonly egress: readonly NetworkPolicy[];
  /**
   * AdminNetworkPolicies (in evaluation order), then the BaselineAdminNetworkPolicy, whose subject selects the
   * workload and that have rules in the direction.
   */
  readonly admin: { readonly ingress: readonly AdminNetworkPolicy[]; readonly egress: readonly AdminNetworkPolicy[] };
}

/**
 * What each tier decides for one direction of a (src, dst) pair, per port: ANP Allow and Deny are final; Pass
 * and unmatched ports go to NetworkPolicy when one isolates the pod, else to the BaselineAdminNetworkPolicy;
 * what nothing decides is allowed. `allowed` is the outcome (what egressAllowed / ingressAllowed return).
 */
export interface TierDecisions {
  readonly anpAllow: PortSet;
  readonly anpDeny: PortSet;
  readonly anpPass: PortSet;
  readonly npIsolated: boolean;
  /** What the NetworkPolicies allow (every port when none isolates the pod). */
  readonly npAllowed: PortSet;
  readonly banpAllow: PortSet;
  readonly banpDeny: PortSet;
  readonly allowed: PortSet;
}

/**
 * Which workloads and IP ranges reach which workloads, on which protocols and ports. Built once per cluster;
 * queries are array lookups. Workloads in one namespace with the same labels, named ports and hostNetwork
 * flag are indistinguishable to every policy, so they share one row ("class").
 */
export interface ReachabilityMatrix {
  readonly compiled: CompiledCluster;
  readonly cluster: Cluster;
  readonly workloads: readonly Workload[];
  readonly ipRanges: readonly IpRange[];
  /** All endpoints: workloads (in input order) then IP ranges (in address order). */
  readonly endpoints: readonly Endpoint[];
  endpoint(id: string): Endpoint | undefined;
  /** What src may send to dst. IP range to IP range is outside the model: always empty. */
  allowed(src: Endpoint, dst: Endpoint): PortSet;
  /** What src's egress policies allow towards dst (every port when src is not isolated for egress). */
  egressAllowed(src: Endpoint, dst: Endpoint): PortSet;
  /** What dst's ingress policies allow from src (every port when dst is not isolated for ingress). */
  ingressAllowed(src: Endpoint, dst: Endpoint): PortSet;
  /** One direction of (src, dst), tier by tier (ANP, NetworkPolicy, BANP). */
  decisions(src: Endpoint, dst: Endpoint, direction: Direction): TierDecisions;
  /** Every non-empty (src, dst) pair, sorted by src then dst id. A Pod to itself (loopback) is not listed. */
  connections(): Connection[];
  isolation(w: Workload): Isolation;
  /** Workloads that are indistinguishable to every policy share a class index. */
  classOf(w: Workload): number;
  /** The workloads a NetworkPolicy rule's from/to matches (from the matrix's memoised peer matches). */
  workloadsMatching(rule: CompiledRule): readonly Workload[];
  /**
   * Every peer of one workload with the ports allowed: as destination ('from': who may reach w) or as source
   * ('to': what w may reach). One call per node of the matrix (workloads alike share one), so a scan of all
   * peers costs no per-endpoint lookups. Empty port sets are skipped.
   */
  peersOf(w: Workload, side: 'from' | 'to'): { readonly endpoints: readonly Endpoint[]; readonly ports: PortSet }[];
  /** The node (class, or IP range) of an endpoint, for the index-based lookups below. */
  nodeOf(e: Endpoint): number;
  /** allowed / egressAllowed / ingressAllowed by node index: no endpoint lookups in hot loops. */
  allowedAt(src: number, dst: number): PortSet;
  egressAt(src: number, dst: number): PortSet;
  ingressAt(src: number, dst: number): PortSet;
}

/** Rows of one class for the admin tiers, indexed by peer node; present when an ANP or the BANP selects it. */
interface TierRows {
  readonly anpAllow: Uint32Array;
  readonly anpDeny: Uint32Array;
  readonly anpPass: Uint32Array;
  readonly banpAllow: Uint32Array;
  readonly banpDeny: Uint32Array;
  /** The outcome of all tiers. */
  readonly effective: Uint32Array;
}

/**
 * A class of workloads with its policy lists. A matrix that borrows from a prior holds the prior's very
 * objects for the classes it takes unchanged (read-only there: see derivedClasses), so what is per matrix
 * (rows, borrowing) is kept in arrays by class index beside the classes, not on them.
 */
interface WorkloadClass {
  readonly representative: Workload;
  readonly members: Workload[];
  // Not readonly: a class may take the prior's lists (see sharedNamespaces in buildMatrix).
  ingressBy: NetworkPolicy[];
  egressBy: NetworkPolicy[];
  /** The compiled policies of ingressBy / egressBy, for evaluating one cell directly. */
  ingressCompiled: CompiledPolicy[];
  egressCompiled: CompiledPolicy[];
  ingressTiers?: TierRows;
  egressTiers?: TierRows;
  adminIngressBy: AdminNetworkPolicy[];
  adminEgressBy: AdminNetworkPolicy[];
}

/**
 * What a later build may reuse of a matrix: its classes and the NetworkPolicy tier of its rows by node index.
 * Kept beside the matrix (not on it) so the public interface stays what callers need.
 */
interface MatrixInternals {
  readonly table: PortSetTable;
  readonly cluster: Cluster;
  readonly classes: readonly WorkloadClass[];
  /** The class with a key, if any. */
  classIndexOfKey(key: string): number | undefined;
  /** The class of each workload of the cluster, by position. */
  readonly classAt: Int32Array;
  /** The position of each class's first member (its representative) in the cluster's workloads. */
  readonly firstAt: Int32Array;
  /** The key of each class, by index. */
  classKeyAt(c: number): string;
  readonly classesByNamespace: NamespaceClasses;
  /** The hostNetwork classes, in order. */
  readonly hostNetworkClasses: readonly number[];
  /**
   * The classes each policy of the cluster selects, by the policy's index (a matrix that borrows, never a
   * prior itself, leaves out the namespaces it shares with its prior).
   */
  readonly selectedBy: readonly (readonly number[])[];
  /** The compiled policies, by the policy's index. */
  readonly compiledPolicies: readonly CompiledPolicy[];
  /** The namespaces (holding classes) each namespace selector matched, by the selector's JSON. */
  readonly namespaceSelections: ReadonlyMap<string, readonly string[]>;
  readonly nw: number;
  readonly ipRanges: readonly IpRange[];
  readonly endpoints: readonly Endpoint[];
  endpoint(id: string): Endpoint | undefined;
  /** What the NetworkPolicies of d allow from s (every port when none isolates d), by node index. */
  npIngress(s: number, d: number): number;
  /** What the NetworkPolicies of s allow towards d (every port when none isolates s), by node index. */
  npEgress(s: number, d: number): number;
  /** npIngress(·, node) (ingress) or npEgress(node, ·) (egress) for every node, by node index: a fresh array. */
  npLine(direction: Direction, node: number): Uint32Array;
  /**
   * The prior's class each class borrows its row from, by direction (-1: none): the prior's class with the
   * same key and exactly the same policy records in this direction. Such classes have no row of their own.
   */
  readonly ingressFrom: Int32Array;
  readonly egressFrom: Int32Array;
  /** Per class: bit 1 isolated for ingress (a NetworkPolicy selects it), bit 2 for egress (built on first use). */
  isolation(): Uint8Array;
  /** The indexes of the cluster's policies in each namespace, ascending (built on first use). */
  policiesByNamespace(): ReadonlyMap<string, readonly number[]>;
  /** Built on a prior matrix (such matrices are never priors themselves: one level of borrowing at most). */
  readonly borrows: boolean;
  readonly hasAdmin: boolean;
  /** The node of the IP range holding an address. */
  rangeNodeAt(address: bigint): number;
  /** The ranges (by index in ipRanges) holding addresses of `set` (and maybe a neighbour), ascending. */
  rangesMeeting(set: IpSet): number[];
  /** How many intervals of the ranges rangesMeeting(set) goes through (by search: nothing is walked). */
  intervalsMeeting(set: IpSet): number;
  /** The first address of each range, by index (ascending: ranges are in that order). */
  rangeFirsts(): readonly bigint[];
  /** The policies of the cluster by id (built on first use). */
  policiesById(): ReadonlyMap<string, NetworkPolicy>;
  /** How many ipBlock peers of the cluster's policies have each text (built on first use). */
  blockCounts(): ReadonlyMap<string, number>;
  /** The classes (not IP ranges) a rule's from/to matches, each once, in the order first met. */
  matchedClasses(rule: CompiledRule): number[];
}

const internalsOf = new WeakMap<ReachabilityMatrix, MatrixInternals>();

/**
 * The class (node) of each workload of the matrix, by its position in `matrix.workloads`: what classOf and
 * nodeOf answer, without a lookup per workload.
 */
export function workloadClasses(matrix: ReachabilityMatrix): Int32Array | undefined {
  return internalsOf.get(matrix)?.classAt;
}

/**
 * egressAt / ingressAt as interned port-set ids, and the table they index (ids of one table are equal iff
 * their sets are; a head that borrows shares its prior's table): for loops over a whole row or column.
 */
export function portIds(matrix: ReachabilityMatrix): PortIds | undefined {
  const x = internalsOf.get(matrix);
  if (!x) return undefined;
  const { classes, nw, npEgress, npIngress } = x;
  const egress = (s: number, d: number): number => (s < nw && classes[s]!.egressTiers ? classes[s]!.egressTiers!.effective[d]! : npEgress(s, d));
  const ingress = (s: number, d: number): number => (d < nw && classes[d]!.ingressTiers ? classes[d]!.ingressTiers!.effective[s]! : npIngress(s, d));
  return {
    table: x.table,
    egress,
    ingress,
    egressLine: (s) => classes[s]?.egressTiers?.effective ?? x.npLine('egress', s),
    ingressLine: (d) => classes[d]?.ingressTiers?.effective ?? x.npLine('ingress', d),
  };
}

/** The classes (nodes) of a namespace's workloads, ascending; undefined for a matrix not made here. */
export function classesInNamespace(matrix: ReachabilityMatrix, namespace: string): readonly number[] | undefined {
  const x = internalsOf.get(matrix);
  return x ? (x.classesByNamespace.get(namespace) ?? []) : undefined;
}

/** The endpoints of a node (a class's members, or an IP range), as peersOf lists them; undefined for a matrix not made here. */
export function nodeEndpoints(matrix: ReachabilityMatrix, node: number): readonly Endpoint[] | undefined {
  const x = internalsOf.get(matrix);
  if (!x) return undefined;
  return node < x.nw ? x.classes[node]!.members.map((w) => x.endpoint(w.id)!) : [x.endpoints[x.cluster.workloads.length + node - x.nw]!];
}

/**
 * The members of each workload class a rule's from/to matches, once per class, in no particular order: what
 * workloadsMatching flattens, for callers that only count destinations or test their named ports (a class's
 * members share labels, named ports and hostNetwork). Read-only; undefined for a matrix not made here.
 */
export function classesMatching(matrix: ReachabilityMatrix, rule: CompiledRule): (readonly Workload[])[] | undefined {
  const x = internalsOf.get(matrix);
  if (!x) return undefined;
  return x.matchedClasses(rule).map((c) => x.classes[c]!.members);
}

export interface PortIds {
  readonly table: PortSetTable;
  egress(s: number, d: number): number;
  ingress(s: number, d: number): number;
  /** egress(s, d) for every node d, and ingress(s, d) for every node s (read-only). */
  egressLine(s: number): ArrayLike<number>;
  ingressLine(d: number): ArrayLike<number>;
}

/** How many rows (class and direction) a matrix borrowed from a prior matrix instead of computing them. */
export function borrowedRows(matrix: ReachabilityMatrix): number {
  const internals = internalsOf.get(matrix);
  if (!internals?.borrows) return 0;
  let n = 0;
  for (let c = 0; c < internals.nw; c++) n += (internals.ingressFrom[c]! >= 0 ? 1 : 0) + (internals.egressFrom[c]! >= 0 ? 1 : 0);
  return n;
}

export interface ComputeMatrixOptions {
  /**
   * Reuse the rows of a cached matrix of a similar cluster (the merge base of a pull request for its head, or
   * the other way round): only the rows of workloads whose policies changed are computed. Default true; false
   * builds every row from scratch and bypasses the cache (tests compare the two).
   */
  readonly reuse?: boolean;
}

/**
 * The matrix of a cluster. Memoised on what the matrix depends on (the identity of every workload and policy
 * record, which the loader shares between builds of the same documents, and the namespaces' labels), so the
 * merge base of a pull request, analysed again on every push or command, is computed once. A cluster that
 * shares most policy records with a cached one (the other side of a diff) borrows that matrix's rows.
 */
export function computeMatrix(cluster: Cluster, opts: ComputeMatrixOptions = {}): ReachabilityMatrix {
  if (opts.reuse === false) return buildMatrix(cluster, undefined);
  const at = matrixCache.findIndex((e) => sameInputs(e.matrix.cluster, cluster));
  if (at >= 0) {
    const hit = matrixCache[at]!;
    matrixCache.splice(at, 1);
    matrixCache.unshift(hit);
    // Same records, maybe another build (diagnostics, texts): answer with this cluster.
    if (hit.matrix.cluster === cluster) return hit.matrix;
    const copy = { ...hit.matrix, cluster };
    internalsOf.set(copy, internalsOf.get(hit.matrix)!);
    return copy;
  }
  const found = priorFor(cluster);
  const matrix = buildMatrix(cluster, found?.prior, found?.aligned);
  matrixCache.unshift({ matrix });
  matrixCache.length = Math.min(matrixCache.length, MATRIX_CACHE_SIZE);
  return matrix;
}

/**
 * Whether a matrix built from scratch writes each class's rows when first read rather than all at once
 * (the same rows either way). For tests, which compare the two; returns the previous setting.
 */
let lazyRows = true;
export function setLazyRows(on: boolean): boolean {
  const was = lazyRows;
  lazyRows = on;
  return was;
}

/** For tests: forget the cached matrices, so the next build has no prior. */
export function clearMatrixCache(): void {
  matrixCache.length = 0;
}

const MATRIX_CACHE_SIZE = 2;
/** The policy lists of a class no policy selects (frozen: lists are replaced, never pushed to, while shared). */
const NONE = Object.freeze([]) as never[];
const matrixCache: { matrix: ReachabilityMatrix }[] = [];

/**
 * The cached matrix to borrow rows from: one built from scratch, sharing at least half of the cluster's
 * policies (the same record, or the same id and spec: two checkouts compared by `netpol diff --base DIR
 * --head DIR` share no records). Admin tiers are decided across all policies at once, so clusters with any
 * are built whole.
 */
function priorFor(cluster: Cluster): { readonly prior: MatrixInternals; readonly aligned: Alignment<NetworkPolicy> } | undefined {
  if (hasAdmin(cluster) || cluster.policies.length === 0) return undefined;
  let best: { readonly prior: MatrixInternals; readonly aligned: Alignment<NetworkPolicy> } | undefined;
  let bestShared = cluster.policies.length / 2;
  for (const { matrix } of matrixCache) {
    const prior = internalsOf.get(matrix)!;
    if (prior.borrows || prior.hasAdmin) continue;
    // The records both clusters hold, by walking the lists (no lookup by id), then the others by id.
    const aligned = alignRecords(prior.cluster.policies, cluster.policies);
    let shared = cluster.policies.length - aligned.onlyB.length;
    if (aligned.onlyB.length > 0) {
      const byId = prior.policiesById();
      for (const p of aligned.onlyB) if (samePolicy(p, byId.get(p.id))) shared++;
    }
    if (shared >= bestShared) {
      best = { prior, aligned };
      bestShared = shared + 1;
    }
  }
  return best;
}

function hasAdmin(cluster: Cluster): boolean {
  return (cluster.adminPolicies?.length ?? 0) > 0 || cluster.baselinePolicy !== undefined;
}

/**
 * Whether two clusters have the same matrix: the same workload and policy records in the same order (the
 * loader shares the records of unchanged documents between builds), and the same namespace labels. Compared
 * record by record rather than through a key of every record's id, which cost tens of milliseconds per new
 * cluster at 125,000 records.
 */
function sameInputs(a: Cluster, b: Cluster): boolean {
  if (a === b) return true;
  return (
    sameRecords(a.workloads, b.workloads) &&
    sameRecords(a.policies, b.policies) &&
    sameRecords(a.adminPolicies ?? [], b.adminPolicies ?? []) &&
    a.baselinePolicy === b.baselinePolicy &&
    (a.namespaces === b.namespaces || namespaceFingerprint(a) === namespaceFingerprint(b))
  );
}

function sameRecords(a: readonly object[], b: readonly object[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Builds the matrix of a cluster. With a prior (the matrix of a cluster sharing most records), a class whose
 * policies in a direction are the very records that the prior's class of the same key had is not computed
 * again: its row is the prior's, read through a node map. That is exact because every rule of that row exists
 * on both sides, and a rule treats a column alike on both sides when the column is
 * - a workload class with a prior class of the same key (namespace, labels, named ports, hostNetwork) in a
 *   namespace whose labels are unchanged, or
 * - an IP range: both partitions respect the rule's blocks, so the range lies inside a block iff the prior
 *   range holding its first address does.
 * Other columns (new classes, relabelled namespaces) are evaluated cell by cell from the row's rules.
 */
function buildMatrix(cluster: Cluster, prior: MatrixInternals | undefined, alignedPolicies?: Alignment<NetworkPolicy>): ReachabilityMatrix {
  // The policies the prior's cluster has too, in the same order (the loader shares unchanged records).
  const aligned = prior ? (alignedPolicies ?? alignRecords(prior.cluster.policies, cluster.policies)) : undefined;
  const compiled = compileCluster(cluster, prior && aligned ? { cluster: prior.cluster, policies: prior.compiledPolicies, matchInA: aligned.matchInA } : undefined);
  const table = prior?.table ?? new PortSetTable();

  // Workload classes: with a prior whose workload records this cluster mostly shares, the prior's classes
  // renumbered (see derivedClasses), else built over every workload.
  const alignedWorkloads = prior ? alignRecords(prior.cluster.workloads, cluster.workloads) : undefined;
  const structure = (prior && alignedWorkloads && derivedClasses(prior, cluster.workloads, alignedWorkloads)) || ownClasses(cluster.workloads);
  const { classes, classAt, firstAt, classesByNamespace, classIndexOfKey, classKeyAt, hostNetworkClasses } = structure;
  // Built on first use: a matrix that borrows most rows may never match a peer.
  let classIndexCache: LabelIndex<number> | undefined;
  const classIndex = (): LabelIndex<number> =>
    (classIndexCache ??= new LabelIndex(
      classes.map((_, i) => i),
      (i) => classes[i]!.representative.labels,
    ));

  // IP ranges: the coarsest partition that every ipBlock peer respects.
  const adminPolicies = [...compiled.admin, ...(compiled.baseline ? [compiled.baseline] : [])];
  // With a prior (which has no admin policies, see priorFor), the partition is the prior's refined by the
  // blocks only these policies have, unless some block of the prior's is gone (see derivedRanges).
  const refined = prior && aligned ? derivedRanges(prior, aligned.onlyA, aligned.onlyB) : undefined;
  const ipRanges = refined?.ranges ?? partitionAddressSpace(blockSetsOf(compiled.policies, adminPolicies));
  const nw = classes.length;
  const n = nw + ipRanges.length;

  // Namespaces (of classes) whose labels differ from the prior's.
  const relabelled = new Set<string>();
  if (prior && cluster.namespaces !== prior.cluster.namespaces) {
    // Clusters derived from one another share their namespaces (or the namespaces' records).
    for (const ns of classesByNamespace.keys()) {
      const mine = compiled.namespaceLabels(ns);
      const theirs = prior.cluster.namespaces.get(ns)?.labels;
      if (mine === theirs) continue;
      if (labelsKey(mine) !== labelsKey(theirs ?? { [AUTO_NAMESPACE_LABEL]: ns })) relabelled.add(ns);
    }
  }
  // The namespaces a selector matches are the prior's when the namespaces holding classes are the same ones
  // with the same labels (the lists are read as sets: see nodesOfPeer).
  const sameNamespaceKeys = (): boolean =>
    classesByNamespace instanceof DerivedNamespaceClasses ? classesByNamespace.sameKeys : sameKeys(classesByNamespace, prior!.classesByNamespace);
  const priorSelections = prior && relabelled.size === 0 && sameNamespaceKeys() ? prior.namespaceSelections : undefined;

  // Which nodes (classes, then IP ranges) a rule's from/to matches.
  const nsSelectorCache = new Map<string, readonly string[]>();
  let namespaceIndexCache: LabelIndex<string> | undefined;
  const namespaceIndex = (): LabelIndex<string> =>
    (namespaceIndexCache ??= new LabelIndex([...classesByNamespace.keys()], (ns) => compiled.namespaceLabels(ns)));
  const namespacesMatching = (sel: Parameters<typeof compileSelector>[0]): readonly string[] => {
    const key = JSON.stringify(sel);
    let hit = nsSelectorCache.get(key) ?? priorSelections?.get(key);
    if (!hit) {
      const m: LabelMatcher = compileSelector(sel);
      // A matrix that borrows most rows matches few peers: a scan is cheaper than indexing every namespace.
      const lists = prior && nsSelectorCache.size < FEW_SELECTORS ? [[...classesByNamespace.keys()]] : namespaceIndex().candidates(sel);
      hit = lists.flatMap((list) => list.filter((ns) => m(compiled.namespaceLabels(ns))));
      nsSelectorCache.set(key, hit);
    }
    return hit;
  };
  /** The segments of a rule without from/to: every node. */
  const everyNode = new Int32Array(n);
  for (let i = 0; i < n; i++) everyNode[i] = i;
  const allNodes: readonly NodeGroup[] = [everyNode];
  // What one peer matches, computed once per peer key: real clusters repeat the same peers (DNS egress to
  // kube-dns, "from the ingress controller") in every namespace.
  // The lists are sorted typed arrays, so a large one is granted as a shared group as it is.
  const peerNodes = new Map<string, NodeGroup>();
  const nodesOfPeer = (peer: CompiledRule['peers'][number], policyNamespace: string): NodeGroup => {
    let hit = peerNodes.get(peer.key);
    if (hit) return hit;
    if (peer.peer.type === 'ipBlock') {
      hit = rangesInBlock(peer.ipSet, ipRanges, nw);
    } else {
      const namespaces = peer.peer.namespaceSelector ? namespacesMatching(peer.peer.namespaceSelector) : [policyNamespace];
      // Candidates from the label index (the classes carrying the podSelector's most selective
      // requirement), unless the matching namespaces hold fewer classes than that.
      // Likewise the label index over all classes is built only once enough peers are matched to pay for it.
      const few = prior !== undefined && peerNodes.size < FEW_PEERS;
      const candidates = few ? [] : classIndex().candidates(peer.peer.podSelector);
      const found: number[] = [];
      if (!few && LabelIndex.size(candidates) < namespaces.reduce((n, ns) => n + (classesByNamespace.get(ns)?.length ?? 0), 0)) {
        const allowedNs = new Set(namespaces);
        for (const list of candidates) matchingIn(peer, classes, list, allowedNs, found);
      } else {
        for (const ns of namespaces) matchingIn(peer, classes, classesByNamespace.get(ns) ?? NO_CLASSES, undefined, found);
      }
      hit = Int32Array.from(found);
      if (!isSorted(hit)) hit.sort();
    }
    peerNodes.set(peer.key, hit);
    return hit;
  };
  // What a rule's from/to matches, as the node lists of its peers (not merged: a rule that pairs a pod peer
  // with "0.0.0.0/0 except private ranges" would otherwise copy thousands of ranges per distinct pod peer,
  // tens of millions of nodes at scale). Granting each list grants the union.
  const hostNetworkSegments = new Map<string, NodeGroup>();
  const matchedNodes = (rule: CompiledRule): readonly NodeGroup[] => {
    if (rule.matchesAllPeers) return allNodes;
    const segments = rule.peers.map((peer) => nodesOfPeer(peer, rule.policy.namespace));
    if (hostNetworkClasses.length === 0) return segments;
    // hostNetwork pods are matched only by rules whose addresses cover a whole family (see compile.ts).
    let host = hostNetworkSegments.get(rule.peersKey);
    if (!host) {
      host = Int32Array.from(hostNetworkClasses.filter((c) => rule.matchesPod(classes[c]!.representative)));
      hostNetworkSegments.set(rule.peersKey, host);
    }
    return host.length > 0 ? [...segments, host] : segments;
  };
  const matchedClasses = (rule: CompiledRule): number[] => {
    const found = new Set<number>();
    for (const nodes of matchedNodes(rule)) for (const node of nodes) if (node < nw) found.add(node);
    return [...found];
  };
  const grantSegments = (row: SparseRow, segments: readonly NodeGroup[], ports: number): void => {
    if (segments === allNodes) return row.grantAll(ports);
    for (const nodes of segments) {
      if (nodes.length > GROUP_THRESHOLD) row.grantGroup(nodes, ports);
      else for (const node of nodes) row.grant(node, ports);
    }
  };
  const nodeWorkload = (i: number): Workload | null => (i < nw ? classes[i]!.representative : null);

  // Which classes each policy selects (cheap: a policy selects only in its own namespace). A policy the prior
  // has too selects what it selected there when its namespace holds the same classes (keys, in order): a
  // selection depends on the classes' labels and hostNetwork flags alone, which their keys hold.
  const selectedBy: (readonly number[])[] = new Array<readonly number[]>(compiled.policies.length).fill(NONE);
  const sameNamespace = new Map<string, boolean>();
  // Prior class -> class, for the namespaces found unchanged. A derived structure knows it already for every
  // namespace none of whose classes changed.
  const fromPriorClass = prior ? (structure.derived ? structure.derived.remap.slice() : new Int32Array(prior.nw)) : undefined;
  const unchangedNamespace = (ns: string): boolean => {
    let same = sameNamespace.get(ns);
    if (same === undefined && structure.derived && !structure.derived.touched.has(ns)) same = true;
    if (same === undefined) {
      const mine = classesByNamespace.get(ns) ?? [];
      const theirs = prior!.classesByNamespace.get(ns) ?? [];
      same = mine.length === theirs.length && mine.every((c, x) => classKeyAt(c) === prior!.classKeyAt(theirs[x]!));
      if (same) theirs.forEach((c, x) => (fromPriorClass![c] = mine[x]!));
      sameNamespace.set(ns, same);
    }
    return same;
  };
  // With a prior: the namespaces (holding classes) whose policies are not all the prior's very records in the
  // same order, compiled alike, or whose classes are not the prior's. Only their policies are gone through;
  // the classes of every other namespace take the prior's policy lists (read-only, shared) and borrow every
  // row (see below). Found from the changed records alone when the classes are derived from the prior's.
  const ownNamespaces = prior && aligned ? new Set<string>() : undefined;
  if (prior && aligned && ownNamespaces) {
    const mixed = new Set<string>();
    for (const p of aligned.onlyA) mixed.add(p.namespace);
    for (const p of aligned.onlyB) mixed.add(p.namespace);
    // Under the same namespaces the shared records took the prior's compiled forms (see compileCluster).
    if (cluster.namespaces !== prior.cluster.namespaces) {
      for (let i = 0; i < compiled.policies.length; i++) {
        const k = aligned.matchInA[i]!;
        if (k >= 0 && compiled.policies[i] !== prior.compiledPolicies[k]) mixed.add(compiled.policies[i]!.policy.namespace);
      }
    }
    const candidates = structure.derived ? new Set([...mixed, ...structure.derived.touched]) : classesByNamespace.keys();
    for (const ns of candidates) {
      const list = classesByNamespace.get(ns);
      if (list === undefined || (!mixed.has(ns) && unchangedNamespace(ns))) continue;
      ownNamespaces.add(ns);
      // Derived classes may be the prior's objects with the prior's lists (see derivedClasses): this
      // namespace's lists are built below, on classes of this matrix's own.
      if (structure.derived) for (const c of list) classes[c] = newClass(classes[c]!.representative, classes[c]!.members);
    }
    // The other namespaces whose classes were not derived with the prior's lists take them now.
    for (const ns of structure.derived ? structure.derived.touched : classesByNamespace.keys()) {
      const list = classesByNamespace.get(ns);
      if (list === undefined || ownNamespaces.has(ns)) continue;
      const theirs = prior.classesByNamespace.get(ns)!;
      list.forEach((c, x) => {
        const k = classes[c]!;
        const pk = prior.classes[theirs[x]!]!;
        if (k === pk) return;
        k.ingressBy = pk.ingressBy;
        k.egressBy = pk.egressBy;
        k.ingressCompiled = pk.ingressCompiled;
        k.egressCompiled = pk.egressCompiled;
      });
    }
  }
  // The policies gone through, ascending: every one without a prior.
  const ownPolicies = prior && aligned && ownNamespaces ? policiesIn(prior, aligned, cluster.policies, ownNamespaces, classesByNamespace.size) : undefined;
  const selectClasses = (i: number): void => {
    const cp = compiled.policies[i]!;
    const k = aligned ? aligned.matchInA[i]! : -1;
    const selected =
      k >= 0 && unchangedNamespace(cp.policy.namespace)
        ? prior!.selectedBy[k]!.map((c) => fromPriorClass![c]!)
        : (classesByNamespace.get(cp.policy.namespace) ?? []).filter((c) => cp.selects(classes[c]!.representative));
    selectedBy[i] = selected;
    for (const c of selected) {
      const k = classes[c]!;
      if (cp.policy.affectsIngress) {
        if (k.ingressBy === NONE) {
          k.ingressBy = [];
          k.ingressCompiled = [];
        }
        k.ingressBy.push(cp.policy);
        k.ingressCompiled.push(cp);
      }
      if (cp.policy.affectsEgress) {
        if (k.egressBy === NONE) {
          k.egressBy = [];
          k.egressCompiled = [];
        }
        k.egressBy.push(cp.policy);
        k.egressCompiled.push(cp);
      }
    }
  };
  if (ownPolicies) for (const i of ownPolicies) selectClasses(i);
  else for (let i = 0; i < compiled.policies.length; i++) selectClasses(i);

  // Rows borrowed from the prior, and the node map its rows are read through (-1: evaluate the cell here).
  const priorColumn = new Int32Array(n).fill(-1);
  const ingressFrom = new Int32Array(nw).fill(-1);
  const egressFrom = new Int32Array(nw).fill(-1);
  if (prior && ownNamespaces) {
    // The prior's class of the same key, if any.
    const priorOf = structure.derived?.priorOf ?? Int32Array.from(classes, (_, c) => prior.classIndexOfKey(classKeyAt(c)) ?? -1);
    // A class outside ownNamespaces has the policy lists of the prior's class of its key: it borrows the
    // rows of the directions the prior's class is isolated in. The others compare their lists.
    const isolated = prior.isolation();
    for (let c = 0; c < nw; c++) {
      const p = priorOf[c]!;
      if (p < 0) continue;
      if (relabelled.size === 0 || !relabelled.has(classes[c]!.representative.namespace)) priorColumn[c] = p;
      const bits = isolated[p]!;
      if ((bits & 1) !== 0) ingressFrom[c] = p;
      if ((bits & 2) !== 0) egressFrom[c] = p;
    }
    for (const ns of ownNamespaces) {
      for (const c of classesByNamespace.get(ns)!) {
        const p = priorOf[c]!;
        if (p < 0) continue;
        const k = classes[c]!;
        const pk = prior.classes[p]!;
        ingressFrom[c] = k.ingressBy.length > 0 && samePolicies(k.ingressBy, pk.ingressBy) ? p : -1;
        egressFrom[c] = k.egressBy.length > 0 && samePolicies(k.egressBy, pk.egressBy) ? p : -1;
      }
    }
    // The prior's range holding each range (the partition is the prior's, refined): see derivedRanges.
    if (refined) refined.priorRange.forEach((r, i) => (priorColumn[nw + i] = prior.nw + r));
    else ipRanges.forEach((r, i) => (priorColumn[nw + i] = prior.rangeNodeAt(r.set.intervals[0]![0])));
  }
  // The NetworkPolicy rows of the classes that have their own, by class (none: borrowed, or not isolated).
  const ingressRows: (SparseRow | undefined)[] = new Array<SparseRow | undefined>(nw);
  const egressRows: (SparseRow | undefined)[] = new Array<SparseRow | undefined>(nw);
  // A matrix built from scratch writes a class's rows when first read (see rowOf): a diff reads the rows of
  // the few classes a change touches, and a head borrows the others without reading them.
  const lazy = lazyRows && !prior;

  const namedPortGroups = new Map<NodeGroup, Map<string, { readonly ports: number; readonly segments: readonly NodeGroup[] }[]>>();
  /** An egress rule's peers' nodes grouped by what its named ports resolve to on each (see grantRows). */
  const namedPortGroupsOf = (rule: CompiledRule, segments: readonly NodeGroup[]): { ports: number; segments: readonly NodeGroup[] }[] => {
    const portsKey = JSON.stringify(rule.rule.ports);
    const byPorts: { ports: number; segments: readonly NodeGroup[] }[] = [];
    for (const nodes of segments) {
      let byList = namedPortGroups.get(nodes);
      if (!byList) namedPortGroups.set(nodes, (byList = new Map()));
      let groups = byList.get(portsKey);
      if (!groups) {
        const nodesByPorts = new Map<number, number[]>();
        for (const d of nodes) {
          const ports = table.id(rule.portsFor(nodeWorkload(d)));
          if (ports === PortSetTable.EMPTY) continue;
          const list = nodesByPorts.get(ports);
          if (list) list.push(d);
          else nodesByPorts.set(ports, [d]);
        }
        groups = [...nodesByPorts].map(([ports, list]) => ({ ports, segments: [Int32Array.from(list)] }));
        byList.set(portsKey, groups);
      }
      byPorts.push(...groups);
    }
    return byPorts;
  };
  // Rows of their own: every isolated class that does not borrow.
  const grantRows = (i: number): void => {
    const cp = compiled.policies[i]!;
    const selected = selectedBy[i]!;
    if (selected.length === 0) return;
    if (cp.policy.affectsIngress) {
      const own = selected.filter((c) => ingressFrom[c]! < 0);
      for (const c of own) ingressRows[c] ??= new SparseRow(table);
      if (own.length > 0) {
        for (const rule of cp.ingress) {
          const segments = matchedNodes(rule);
          if (rule.namedPorts.length === 0) {
            // The common case: the same ports on every selected class (interned once, not once per class).
            const ports = table.id(rule.portsFor(null));
            if (ports !== PortSetTable.EMPTY) for (const c of own) grantSegments(ingressRows[c]!, segments, ports);
            continue;
          }
          for (const c of own) {
            const ports = table.id(rule.portsFor(classes[c]!.representative));
            if (ports !== PortSetTable.EMPTY) grantSegments(ingressRows[c]!, segments, ports);
          }
        }
      }
    }
    if (cp.policy.affectsEgress) {
      const own = selected.filter((c) => egressFrom[c]! < 0);
      for (const c of own) egressRows[c] ??= new SparseRow(table);
      if (own.length === 0) return;
      for (const rule of cp.egress) {
        const segments = matchedNodes(rule);
        if (rule.namedPorts.length === 0) {
          // The common case: the same ports towards every peer.
          const ports = table.id(rule.portsFor(null));
          if (ports === PortSetTable.EMPTY) continue;
          for (const c of own) grantSegments(egressRows[c]!, segments, ports);
          continue;
        }
        // Named ports resolve on each destination: group each peer's nodes by what the ports resolve to, so
        // each group is granted like any peer list (large ones shared). Peers' lists are shared by every rule
        // with that peer, and many rules list the same ports ("to the API on port http"): grouped once per
        // (list, ports) in a build.
        const groups = namedPortGroupsOf(rule, segments);
        for (const c of own) for (const group of groups) grantSegments(egressRows[c]!, group.segments, group.ports);
      }
    }
  };
  if (ownPolicies) for (const i of ownPolicies) grantRows(i);
  else if (!lazy) for (let i = 0; i < compiled.policies.length; i++) grantRows(i);
  else selectNamespaces();
  // The rows hold what they need; the matrix's closures would otherwise keep the groupings alive (rows
  // written on first read keep them: they are asked again for the next row).
  if (!lazy) namedPortGroups.clear();

  /**
   * What grantRows would leave in nsSelectorCache: the namespaces of every namespaceSelector of a rule it
   * grants. A head borrowing from this matrix takes them (see priorSelections) instead of matching each
   * selector again, whichever rows are ever written here.
   */
  function selectNamespaces(): void {
    const seen = new Set<string>();
    const visit = (rules: readonly CompiledRule[]): void => {
      for (let j = 0; j < rules.length; j++) {
        const rule = rules[j]!;
        if (rule.matchesAllPeers) continue;
        for (let k = 0; k < rule.peers.length; k++) {
          const peer = rule.peers[k]!;
          if (peer.peer.type === 'ipBlock' || !peer.peer.namespaceSelector || seen.has(peer.key)) continue;
          seen.add(peer.key);
          namespacesMatching(peer.peer.namespaceSelector);
        }
      }
    };
    for (let i = 0; i < compiled.policies.length; i++) {
      if (selectedBy[i]!.length === 0) continue;
      const cp = compiled.policies[i]!;
      if (cp.policy.affectsIngress) visit(cp.ingress);
      if (cp.policy.affectsEgress) visit(cp.egress);
    }
  }

  // The ports each rule without named ports grants, and the named-port groups of each egress rule: what
  // grantRows works out once per policy, kept for rows written one class at a time.
  const rulePorts = new Map<CompiledRule, number>();
  const portsOfRule = (rule: CompiledRule): number => {
    let ports = rulePorts.get(rule);
    if (ports === undefined) rulePorts.set(rule, (ports = table.id(rule.portsFor(null))));
    return ports;
  };
  const ruleGroups = new Map<CompiledRule, readonly { readonly ports: number; readonly segments: readonly NodeGroup[] }[]>();
  const namedEgressGroups = (rule: CompiledRule): readonly { readonly ports: number; readonly segments: readonly NodeGroup[] }[] => {
    let hit = ruleGroups.get(rule);
    if (!hit) ruleGroups.set(rule, (hit = namedPortGroupsOf(rule, matchedNodes(rule))));
    return hit;
  };
  /**
   * The row of class c in a direction, written as grantRows writes it: the same grants in the same order (its
   * policies ascending, their rules in order), so the same cells. Only a class that a policy isolates has one.
   */
  const writeRow = (direction: Direction, c: number): SparseRow | undefined => {
    const k = classes[c]!;
    const policies = direction === 'ingress' ? k.ingressCompiled : k.egressCompiled;
    if (policies.length === 0) return undefined;
    const row = new SparseRow(table);
    for (const cp of policies) {
      for (const rule of cp[direction]) {
        if (rule.namedPorts.length === 0) {
          const ports = portsOfRule(rule);
          if (ports !== PortSetTable.EMPTY) grantSegments(row, matchedNodes(rule), ports);
        } else if (direction === 'ingress') {
          const ports = table.id(rule.portsFor(k.representative));
          if (ports !== PortSetTable.EMPTY) grantSegments(row, matchedNodes(rule), ports);
        } else for (const { ports, segments } of namedEgressGroups(rule)) grantSegments(row, segments, ports);
      }
    }
    return row;
  };
  /** Whether each class's row was looked for yet (bit 1 ingress, bit 2 egress): lazy matrices only. */
  const rowDone = lazy ? new Uint8Array(nw) : undefined;
  const rowOf = (direction: Direction, c: number): SparseRow | undefined => {
    if (rowDone === undefined) return direction === 'ingress' ? ingressRows[c] : egressRows[c];
    const bit = direction === 'ingress' ? 1 : 2;
    const rows = direction === 'ingress' ? ingressRows : egressRows;
    if ((rowDone[c]! & bit) === 0) {
      rowDone[c] = rowDone[c]! | bit;
      rows[c] = writeRow(direction, c);
    }
    return rows[c];
  };

  // One cell of a borrowed row whose column the prior cannot answer, from the row's rules (memoised). A
  // column is asked of every row, and rules repeat the same peers across policies: whether a rule's peers
  // match the column's class is memoised per column by the peers' key (interned as a number).
  const cells = new Map<number, number>();
  const peersKeyIds = new Map<string, number>();
  const rowRules = new Map<number, { readonly rules: CompiledRule[]; readonly keys: Int32Array }>();
  // A policy's rules appear in the row of every class it selects: intern each rule's peers key once.
  const ruleKeyIds = new Map<CompiledRule, number>();
  const keyIdOf = (rule: CompiledRule): number => {
    let id = ruleKeyIds.get(rule);
    if (id === undefined) {
      id = peersKeyIds.get(rule.peersKey);
      if (id === undefined) peersKeyIds.set(rule.peersKey, (id = peersKeyIds.size));
      ruleKeyIds.set(rule, id);
    }
    return id;
  };
  const rulesOfRow = (direction: Direction, subject: number) => {
    const at = direction === 'ingress' ? subject : nw + subject;
    let hit = rowRules.get(at);
    if (!hit) {
      const k = classes[subject]!;
      const rules: CompiledRule[] = [];
      for (const cp of direction === 'ingress' ? k.ingressCompiled : k.egressCompiled) for (const rule of cp[direction]) rules.push(rule);
      const keys = new Int32Array(rules.length);
      for (let i = 0; i < rules.length; i++) keys[i] = keyIdOf(rules[i]!);
      rowRules.set(at, (hit = { rules, keys }));
    }
    return hit;
  };
  /** Per column: 0 unknown, 1 the peers match the column's class, 2 they don't; indexed by peers-key id. */
  const columnMatches = new Map<number, Uint8Array>();
  const evaluateCell = (direction: Direction, subject: number, peer: number): number => {
    const key = (direction === 'ingress' ? 0 : n * n) + subject * n + peer;
    let ports = cells.get(key);
    if (ports !== undefined) return ports;
    ports = PortSetTable.EMPTY;
    const peerWorkload = classes[peer]!.representative;
    const dst = direction === 'ingress' ? classes[subject]!.representative : peerWorkload;
    const { rules, keys } = rulesOfRow(direction, subject);
    let matches = columnMatches.get(peer);
    if (!matches || matches.length < peersKeyIds.size) {
      const grown = new Uint8Array(Math.max(64, peersKeyIds.size * 2));
      if (matches) grown.set(matches);
      columnMatches.set(peer, (matches = grown));
    }
    for (let i = 0; i < rules.length; i++) {
      const id = keys[i]!;
      let match = matches[id]!;
      if (match === 0) matches[id] = match = rules[i]!.matchesPod(peerWorkload) ? 1 : 2;
      if (match === 1) ports = table.union(ports, table.id(rules[i]!.portsFor(dst)));
    }
    cells.set(key, ports);
    return ports;
  };
  /** What the NetworkPolicies of d allow from s; every port when none isolates d (or d is an IP range). */
  const npIngress = (s: number, d: number): number => {
    if (d >= nw) return PortSetTable.ALL;
    const row = rowOf('ingress', d);
    if (row) return row.get(s);
    const from = ingressFrom[d]!;
    if (from < 0) return PortSetTable.ALL;
    const column = priorColumn[s]!;
    return column >= 0 ? prior!.npIngress(column, from) : evaluateCell('ingress', d, s);
  };
  const npEgress = (s: number, d: number): number => {
    if (s >= nw) return PortSetTable.ALL;
    const row = rowOf('egress', s);
    if (row) return row.get(d);
    const from = egressFrom[s]!;
    if (from < 0) return PortSetTable.ALL;
    const column = priorColumn[d]!;
    return column >= 0 ? prior!.npEgress(from, column) : evaluateCell('egress', s, d);
  };
  /**
   * npIngress(·, node) or npEgress(node, ·) for every peer at once, by node index. A borrowed line reads the
   * prior's line once and maps it through priorColumn: a diff reads a dozen whole lines of ~50k cells, and cell
   * by cell each went through two closures and a search of the prior row's groups.
   */
  const npLine = (direction: Direction, node: number): Uint32Array => {
    const out = new Uint32Array(n);
    const row = node >= nw ? undefined : rowOf(direction, node);
    if (row) return row.writeLine(out);
    const from = node >= nw ? -1 : direction === 'ingress' ? ingressFrom[node]! : egressFrom[node]!;
    if (from < 0) return out.fill(PortSetTable.ALL);
    const priorLine = prior!.npLine(direction, from);
    for (let p = 0; p < n; p++) {
      const q = priorColumn[p]!;
      out[p] = q >= 0 ? priorLine[q]! : evaluateCell(direction, node, p);
    }
    return out;
  };

  // Admin tiers (AdminNetworkPolicy, BaselineAdminNetworkPolicy): per class and direction, the first matching
  // rule decides each port; the NetworkPolicy row then only speaks for the ports no ANP allowed or denied.
  if (adminPolicies.length > 0) {
    const adminNodes = new Map<CompiledAdminRule, number[]>();
    const matchedAdmin = (rule: CompiledAdminRule): number[] => {
      let hit = adminNodes.get(rule);
      if (!hit) {
        const found: number[] = [];
        for (let c = 0; c < nw; c++) if (rule.matchesPod(classes[c]!.representative)) found.push(c);
        if (!rule.ipSet.isEmpty()) ipRanges.forEach((r, i) => rule.matchesIps(r.set) && found.push(nw + i));
        hit = found;
        adminNodes.set(rule, hit);
      }
      return hit;
    };
    const decide = (rules: readonly CompiledAdminRule[], c: number, direction: Direction, rows: { allow: Uint32Array; deny: Uint32Array; pass?: Uint32Array }): void => {
      const remaining = new Uint32Array(n).fill(PortSetTable.ALL);
      for (const rule of rules) {
        const target = rule.action === 'Allow' ? rows.allow : rule.action === 'Deny' ? rows.deny : rows.pass!;
        const ingressPorts = direction === 'ingress' ? table.id(rule.portsFor(classes[c]!.representative)) : 0;
        for (const peer of matchedAdmin(rule)) {
          const ports = table.intersect(direction === 'ingress' ? ingressPorts : table.id(rule.portsFor(nodeWorkload(peer))), remaining[peer]!);
          if (ports === PortSetTable.EMPTY) continue;
          remaining[peer] = table.subtract(remaining[peer]!, ports);
          target[peer] = table.union(target[peer]!, ports);
        }
      }
    };
    for (let c = 0; c < nw; c++) {
      const k = classes[c]!;
      for (const direction of ['ingress', 'egress'] as const) {
        const anps = compiled.admin.filter((p) => p[direction].length > 0 && p.selects(k.representative));
        const banp = compiled.baseline && compiled.baseline[direction].length > 0 && compiled.baseline.selects(k.representative) ? compiled.baseline : undefined;
        if (anps.length === 0 && !banp) continue;
        const rows: TierRows = {
          anpAllow: new Uint32Array(n),
          anpDeny: new Uint32Array(n),
          anpPass: new Uint32Array(n),
          banpAllow: new Uint32Array(n),
          banpDeny: new Uint32Array(n),
          effective: new Uint32Array(n),
        };
        decide(anps.flatMap((p) => p[direction]), c, direction, { allow: rows.anpAllow, deny: rows.anpDeny, pass: rows.anpPass });
        if (banp) decide(banp[direction], c, direction, { allow: rows.banpAllow, deny: rows.banpDeny });
        const npIsolated = (direction === 'ingress' ? k.ingressBy : k.egressBy).length > 0;
        for (let s = 0; s < n; s++) {
          const undecided = table.subtract(table.subtract(PortSetTable.ALL, rows.anpAllow[s]!), rows.anpDeny[s]!);
          const lower = npIsolated
            ? direction === 'ingress'
              ? npIngress(s, c)
              : npEgress(c, s)
            : table.subtract(PortSetTable.ALL, rows.banpDeny[s]!);
          rows.effective[s] = table.union(rows.anpAllow[s]!, table.intersect(undecided, lower));
        }
        if (direction === 'ingress') {
          k.ingressTiers = rows;
          k.adminIngressBy = [...anps.map((p) => p.policy), ...(banp ? [banp.policy] : [])];
        } else {
          k.egressTiers = rows;
          k.adminEgressBy = [...anps.map((p) => p.policy), ...(banp ? [banp.policy] : [])];
        }
      }
    }
  }

  // The class of a workload of the cluster: the class of its key, if it is a member (a set of the members of
  // a large class is built on first use). No map of every workload: a head's matrix is asked about few.
  const memberSets = new Map<number, Set<Workload>>();
  const classOfWorkload = (w: Workload): number | undefined => {
    const c = classIndexOfKey(classKeyOf(w));
    if (c === undefined) return undefined;
    const members = classes[c]!.members;
    if (members.length <= 8) return members.includes(w) ? c : undefined;
    let set = memberSets.get(c);
    if (!set) memberSets.set(c, (set = new Set(members)));
    return set.has(w) ? c : undefined;
  };
  let rangeIndexCache: Map<IpRange, number> | undefined;
  const rangeIndex = (): Map<IpRange, number> => (rangeIndexCache ??= new Map(ipRanges.map((r, i) => [r, i])));
  const nodeOf = (e: Endpoint): number => {
    const node = e.kind === 'workload' ? classOfWorkload(e.workload) : rangeIndex().get(e.range);
    if (node === undefined) throw new Error(`endpoint ${e.id} is not part of this matrix`);
    return e.kind === 'workload' ? node : nw + node;
  };

  const egressNodes = (s: number, d: number): number => {
    const k = s < nw ? classes[s]! : undefined;
    if (!k) return PortSetTable.ALL;
    if (k.egressTiers) return k.egressTiers.effective[d]!;
    return npEgress(s, d);
  };
  const ingressNodes = (s: number, d: number): number => {
    const k = d < nw ? classes[d]! : undefined;
    if (!k) return PortSetTable.ALL;
    if (k.ingressTiers) return k.ingressTiers.effective[s]!;
    return npIngress(s, d);
  };
  const decisionsOf = (s: number, d: number, direction: Direction): TierDecisions => {
    const subject = direction === 'ingress' ? d : s;
    const peer = direction === 'ingress' ? s : d;
    const k = subject < nw ? classes[subject]! : undefined;
    const npIsolated = k !== undefined && (direction === 'ingress' ? k.ingressBy : k.egressBy).length > 0;
    const tiers = k ? (direction === 'ingress' ? k.ingressTiers : k.egressTiers) : undefined;
    const at = (row: Uint32Array | undefined): PortSet => table.get(row ? row[peer]! : PortSetTable.EMPTY);
    return {
      anpAllow: at(tiers?.anpAllow),
      anpDeny: at(tiers?.anpDeny),
      anpPass: at(tiers?.anpPass),
      npIsolated,
      npAllowed: table.get(direction === 'ingress' ? npIngress(s, d) : npEgress(s, d)),
      banpAllow: at(tiers?.banpAllow),
      banpDeny: at(tiers?.banpDeny),
      allowed: table.get(direction === 'ingress' ? ingressNodes(s, d) : egressNodes(s, d)),
    };
  };
  /** Is the cell evaluated from the rules (a borrowed row at a column the prior cannot answer)? */
  const egressCostly = (s: number, d: number): boolean => s < nw && egressFrom[s]! >= 0 && priorColumn[d]! < 0;
  const allowedNodes = (s: number, d: number): number => {
    if (s >= nw && d >= nw) return PortSetTable.EMPTY;
    // Read the cheap direction first: when it allows nothing, the other is not needed (most pairs of a
    // default-deny cluster), which spares evaluating cells of borrowed rows one by one.
    if (egressCostly(s, d)) {
      const ingress = ingressNodes(s, d);
      return ingress === PortSetTable.EMPTY ? ingress : table.intersect(egressNodes(s, d), ingress);
    }
    const egress = egressNodes(s, d);
    return egress === PortSetTable.EMPTY ? egress : table.intersect(egress, ingressNodes(s, d));
  };

  // Endpoints are plain records of a workload or range: a matrix with a prior takes the prior's for the
  // workload records (and the ranges) both clusters hold, and looks ids up in its own few, then the prior's.
  const { endpoints, endpoint } = prior && alignedWorkloads ? derivedEndpoints(prior, cluster.workloads, alignedWorkloads, ipRanges, refined?.priorRange) : ownEndpoints(cluster.workloads, ipRanges);
  const rangeEndpoints = endpoints.slice(cluster.workloads.length);
  const classEndpoints: (Endpoint[] | undefined)[] = [];
  const nodeEndpoints = (node: number): Endpoint[] =>
    node < nw ? (classEndpoints[node] ??= classes[node]!.members.map((w) => endpoint(w.id)!)) : [rangeEndpoints[node - nw]!];

  let rangeStartsAll: { start: bigint; node: number }[] | undefined;
  let rangeFirsts: bigint[] | undefined;
  // Ranges need not be contiguous: every interval's start, in order, with its range's node.
  const intervalStarts = () =>
    (rangeStartsAll ??= ipRanges
      .flatMap((r, i) => r.set.intervals.map(([a]) => ({ start: a, node: nw + i })))
      .sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0)));
  let policyRecords: Map<string, NetworkPolicy> | undefined;
  let blockCounts: Map<string, number> | undefined;
  let isolation: Uint8Array | undefined;
  let policiesOfNamespace: Map<string, number[]> | undefined;
  const internals: MatrixInternals = {
    table,
    cluster,
    classes,
    classIndexOfKey,
    classAt,
    firstAt,
    classKeyAt,
    classesByNamespace,
    hostNetworkClasses,
    selectedBy,
    compiledPolicies: compiled.policies,
    namespaceSelections: nsSelectorCache,
    nw,
    ipRanges,
    endpoints,
    endpoint,
    npIngress,
    npEgress,
    npLine,
    ingressFrom,
    egressFrom,
    isolation: () => {
      if (!isolation) {
        isolation = new Uint8Array(nw);
        for (let c = 0; c < nw; c++) isolation[c] = (classes[c]!.ingressBy.length > 0 ? 1 : 0) | (classes[c]!.egressBy.length > 0 ? 2 : 0);
      }
      return isolation;
    },
    policiesByNamespace: () => {
      if (!policiesOfNamespace) {
        policiesOfNamespace = new Map();
        cluster.policies.forEach((p, i) => {
          const list = policiesOfNamespace!.get(p.namespace);
          if (list) list.push(i);
          else policiesOfNamespace!.set(p.namespace, [i]);
        });
      }
      return policiesOfNamespace;
    },
    borrows: prior !== undefined,
    hasAdmin: adminPolicies.length > 0,
    rangeNodeAt: (address) => {
      const starts = intervalStarts();
      return starts[intervalAt(starts, address)]!.node;
    },
    rangesMeeting: (set) => {
      const starts = intervalStarts();
      const found = new Set<number>();
      for (const [lo, hi] of set.intervals) {
        for (let x = intervalAt(starts, lo); x < starts.length && starts[x]!.start <= hi; x++) found.add(starts[x]!.node - nw);
      }
      return [...found].sort((a, b) => a - b);
    },
    intervalsMeeting: (set) => {
      const starts = intervalStarts();
      let count = 0;
      for (const [lo, hi] of set.intervals) count += intervalAt(starts, hi) - intervalAt(starts, lo) + 1;
      return count;
    },
    rangeFirsts: () => (rangeFirsts ??= ipRanges.map((r) => r.set.intervals[0]![0])),
    policiesById: () => (policyRecords ??= new Map(cluster.policies.map((p) => [p.id, p]))),
    blockCounts: () => {
      if (!blockCounts) countBlocks(cluster.policies, 1, (blockCounts = new Map()));
      return blockCounts;
    },
    matchedClasses,
  };
  const matrix: ReachabilityMatrix = {
    compiled,
    cluster,
    workloads: cluster.workloads,
    ipRanges,
    endpoints,
    endpoint,
    allowed: (src, dst) => table.get(allowedNodes(nodeOf(src), nodeOf(dst))),
    egressAllowed: (src, dst) => table.get(egressNodes(nodeOf(src), nodeOf(dst))),
    ingressAllowed: (src, dst) => table.get(ingressNodes(nodeOf(src), nodeOf(dst))),
    decisions: (src, dst, direction) => decisionsOf(nodeOf(src), nodeOf(dst), direction),
    classOf: (w) => classOfWorkload(w)!,
    workloadsMatching: (rule) => matchedClasses(rule).sort((a, b) => a - b).flatMap((c) => classes[c]!.members),
    isolation: (w) => {
      const k = classes[classOfWorkload(w)!]!;
      return { ingress: k.ingressBy, egress: k.egressBy, admin: { ingress: k.adminIngressBy, egress: k.adminEgressBy } };
    },
    nodeOf,
    allowedAt: (src, dst) => table.get(allowedNodes(src, dst)),
    egressAt: (src, dst) => table.get(egressNodes(src, dst)),
    ingressAt: (src, dst) => table.get(ingressNodes(src, dst)),
    peersOf: (w, side) => {
      const self = classOfWorkload(w);
      if (self === undefined) throw new Error(`workload ${w.id} is not part of this matrix`);
      const out: { endpoints: readonly Endpoint[]; ports: PortSet }[] = [];
      for (let node = 0; node < n; node++) {
        const id = side === 'from' ? allowedNodes(node, self) : allowedNodes(self, node);
        if (id !== PortSetTable.EMPTY) out.push({ endpoints: nodeEndpoints(node), ports: table.get(id) });
      }
      return out;
    },
    connections: () => {
      const out: Connection[] = [];
      const membersOf = nodeEndpoints;
      for (let s = 0; s < n; s++) {
        for (let d = 0; d < n; d++) {
          const id = allowedNodes(s, d);
          if (id === PortSetTable.EMPTY) continue;
          const ports = table.get(id);
          for (const src of membersOf(s)) {
            for (const dst of membersOf(d)) {
              // A Pod talking to itself is loopback, always allowed and not a network path.
              if (src === dst && src.kind === 'workload' && src.workload.kind === 'Pod') continue;
              out.push({ src, dst, ports });
            }
          }
        }
      }
      return out.sort((a, b) => cmp(a.src.id, b.src.id) || cmp(a.dst.id, b.dst.id));
    },
  };
  internalsOf.set(matrix, internals);
  return matrix;
}

/** The classes of each namespace (holding any), in class order: a Map, or a view of a prior's. */
interface NamespaceClasses {
  get(ns: string): readonly number[] | undefined;
  has(ns: string): boolean;
  readonly size: number;
  /** In the order a build from scratch (a Map) gives, up to namespaces first holding a class later. */
  keys(): Iterable<string>;
}

/**
 * The classes of each namespace of a structure derived from a prior's: the prior's lists renumbered on first
 * use (a head of 10,000 namespaces reads a few, and building every list cost more than the rest of the
 * derivation), and the lists of the touched namespaces (those holding a changed class) built whole.
 */
class DerivedNamespaceClasses implements NamespaceClasses {
  private readonly renumbered = new Map<string, readonly number[]>();
  readonly size: number;
  /** The namespaces holding classes are the prior's. */
  readonly sameKeys: boolean;

  constructor(
    private readonly prior: NamespaceClasses,
    private readonly remap: Int32Array,
    private readonly touched: ReadonlySet<string>,
    /** The touched namespaces' lists (none for a namespace left without classes). */
    private readonly touchedLists: ReadonlyMap<string, readonly number[]>,
  ) {
    let size = prior.size;
    for (const ns of touched) size += (touchedLists.has(ns) ? 1 : 0) - (prior.has(ns) ? 1 : 0);
    this.size = size;
    this.sameKeys = [...touched].every((ns) => touchedLists.has(ns) === prior.has(ns));
  }

  get(ns: string): readonly number[] | undefined {
    if (this.touched.has(ns)) return this.touchedLists.get(ns);
    let hit = this.renumbered.get(ns);
    if (hit === undefined) {
      const list = this.prior.get(ns);
      if (list === undefined) return undefined;
      hit = list.map((x) => this.remap[x]!);
      this.renumbered.set(ns, hit);
    }
    return hit;
  }

  has(ns: string): boolean {
    return this.touched.has(ns) ? this.touchedLists.has(ns) : this.prior.has(ns);
  }

  *keys(): Iterable<string> {
    for (const ns of this.prior.keys()) if (!this.touched.has(ns) || this.touchedLists.has(ns)) yield ns;
    for (const ns of this.touchedLists.keys()) if (!this.prior.has(ns)) yield ns;
  }
}

interface ClassStructure {
  readonly classes: WorkloadClass[];
  readonly classAt: Int32Array;
  readonly firstAt: Int32Array;
  readonly classesByNamespace: NamespaceClasses;
  readonly hostNetworkClasses: readonly number[];
  classIndexOfKey(key: string): number | undefined;
  classKeyAt(c: number): string;
  /**
   * Set for a structure derived from a prior's: prior class -> class (-1: its members changed, or it is gone),
   * class -> the prior's class of its key (-1: none), and the namespaces holding a class whose members changed.
   */
  readonly derived?: { readonly remap: Int32Array; readonly priorOf: Int32Array; readonly touched: ReadonlySet<string> };
}

function newClass(representative: Workload, members: Workload[]): WorkloadClass {
  return {
    representative,
    members,
    // One shared empty list until a policy selects the class: most classes of a head take the prior's
    // lists, and 50,000 classes made 300,000 lists otherwise.
    ingressBy: NONE,
    egressBy: NONE,
    ingressCompiled: NONE,
    egressCompiled: NONE,
    adminIngressBy: NONE,
    adminEgressBy: NONE,
  };
}

/** Classes over every workload, numbered in order of their first member. */
function ownClasses(workloads: readonly Workload[]): ClassStructure {
  const classes: WorkloadClass[] = [];
  const classByKey = new Map<string, number>();
  const classKeys: string[] = [];
  const first: number[] = [];
  const classesByNamespace = new Map<string, number[]>();
  const classAt = new Int32Array(workloads.length);
  for (let at = 0; at < workloads.length; at++) {
    const w = workloads[at]!;
    const key = classKeyOf(w);
    let c = classByKey.get(key);
    if (c === undefined) {
      c = classes.length;
      classByKey.set(key, c);
      classKeys.push(key);
      first.push(at);
      classes.push(newClass(w, []));
      const list = classesByNamespace.get(w.namespace);
      if (list) list.push(c);
      else classesByNamespace.set(w.namespace, [c]);
    }
    classes[c]!.members.push(w);
    classAt[at] = c;
  }
  return {
    classes,
    classAt,
    firstAt: Int32Array.from(first),
    classesByNamespace,
    hostNetworkClasses: classes.flatMap((k, i) => (k.representative.hostNetwork ? [i] : [])),
    classIndexOfKey: (key) => classByKey.get(key),
    classKeyAt: (c) => classKeys[c]!,
  };
}

/** At most this many workload records may differ from the prior's for its classes to be derived. */
const MAX_DERIVED_WORKLOADS = 4096;

/**
 * The classes of a cluster whose workloads are the prior's records but for a few (the alignment's unmatched
 * ones), exactly as ownClasses numbers them, without going through every workload: a class none of whose
 * members changed has the same members (the records are shared, so are their keys), in the same order, and
 * its first member keeps its place relative to the other shared records (the alignment preserves order).
 * Only the classes of the changed records' keys are gathered again; all are then ordered by first member.
 * Members lists of unchanged classes are the prior's (read-only once built).
 */
function derivedClasses(prior: MatrixInternals, workloads: readonly Workload[], aligned: Alignment<Workload>): ClassStructure | undefined {
  if (aligned.onlyA.length + aligned.onlyB.length > MAX_DERIVED_WORKLOADS) return undefined;
  if (aligned.onlyA.length + aligned.onlyB.length === workloads.length + prior.cluster.workloads.length && workloads.length > 0) return undefined;
  const priorWorkloads = prior.cluster.workloads;
  const matchInA = aligned.matchInA;
  const headAt = headPositions(priorWorkloads.length, matchInA);
  // The keys of changed records, with the positions of their classes' members in this cluster.
  const changed = new Map<string, number[]>();
  const flagged = new Uint8Array(prior.nw);
  const flaggedList: number[] = [];
  const touched = new Set<string>();
  const touch = (w: Workload): void => {
    const key = classKeyOf(w);
    if (changed.has(key)) return;
    changed.set(key, []);
    touched.add(w.namespace);
    const p = prior.classIndexOfKey(key);
    if (p !== undefined) {
      flagged[p] = 1;
      flaggedList.push(p);
    }
  };
  for (const w of aligned.onlyA) touch(w);
  for (const w of aligned.onlyB) touch(w);
  if (flaggedList.every((p) => prior.classes[p]!.members.length === 1)) {
    // Classes of one workload (most, at scale): the member is the first, no search of every workload.
    for (const p of flaggedList) {
      const j = headAt[prior.firstAt[p]!]!;
      if (j >= 0) changed.get(prior.classKeyAt(p))!.push(j);
    }
  } else {
    regatherFlagged(prior, flagged, headAt, changed);
  }
  for (const j of aligned.onlyBIndex) changed.get(classKeyOf(workloads[j]!))!.push(j);
  const regathered = [...changed.values()].filter((list) => list.length > 0);
  for (const list of regathered) list.sort((x, y) => x - y);
  regathered.sort((x, y) => x[0]! - y[0]!);

  const nw = prior.nw - flaggedList.length + regathered.length;
  const classes = new Array<WorkloadClass>(nw);
  const firstAt = new Int32Array(nw);
  const remap = new Int32Array(prior.nw).fill(-1);
  const priorOf = new Int32Array(nw);
  const classAt = new Int32Array(workloads.length);
  const own = new Map<string, number>();
  const fresh: number[] = [];
  // Runs of the prior's classes (in order, the changed ones left out), each up to the next regathered class
  // by first member.
  const runs: RunCursor = { p: 0, c: 0 };
  const targets: RunTargets = { classes, firstAt, remap, priorOf };
  for (let f = 0; f <= regathered.length; f++) {
    const freshFirst = f < regathered.length ? regathered[f]![0]! : workloads.length;
    takePriorRun(prior, flagged, headAt, freshFirst, runs, targets);
    if (f === regathered.length) break;
    const c = runs.c;
    const list = regathered[f]!;
    const members = list.map((j) => workloads[j]!);
    classes[c] = newClass(members[0]!, members);
    firstAt[c] = freshFirst;
    const key = classKeyOf(members[0]!);
    own.set(key, c);
    priorOf[c] = prior.classIndexOfKey(key) ?? -1;
    for (const j of list) classAt[j] = c;
    fresh.push(c);
    runs.c++;
  }
  remapClassAt(matchInA, remap, prior.classAt, classAt);

  // Per namespace, in class order: the prior's lists renumbered (on first use), with the regathered classes
  // in place in the touched namespaces.
  const touchedLists = new Map<string, number[]>();
  for (const ns of touched) {
    const list = prior.classesByNamespace.get(ns);
    if (!list) continue;
    const mine: number[] = [];
    for (const x of list) if (remap[x]! >= 0) mine.push(remap[x]!);
    touchedLists.set(ns, mine);
  }
  for (const c of fresh) {
    const ns = classes[c]!.representative.namespace;
    const list = touchedLists.get(ns);
    if (list) list.push(c);
    else touchedLists.set(ns, [c]);
  }
  for (const [ns, list] of touchedLists) {
    if (list.length === 0) touchedLists.delete(ns);
    else list.sort((x, y) => x - y);
  }
  const classesByNamespace = new DerivedNamespaceClasses(prior.classesByNamespace, remap, touched, touchedLists);

  const hostNetworkClasses: number[] = [];
  for (const x of prior.hostNetworkClasses) if (remap[x]! >= 0) hostNetworkClasses.push(remap[x]!);
  for (const c of fresh) if (classes[c]!.representative.hostNetwork) hostNetworkClasses.push(c);
  hostNetworkClasses.sort((x, y) => x - y);

  return {
    classes,
    classAt,
    firstAt,
    classesByNamespace,
    hostNetworkClasses,
    classIndexOfKey: (key) => {
      const c = own.get(key);
      if (c !== undefined) return c;
      const x = prior.classIndexOfKey(key);
      return x === undefined || remap[x]! < 0 ? undefined : remap[x];
    },
    classKeyAt: (c) => classKeyOf(classes[c]!.representative),
    derived: { remap, priorOf, touched },
  };
}

// nodesOfPeer's loops, as small functions of their own: the closure, made per matrix, took V8 80 ms to
// optimise in the background at the huge tier (the loops inlined matchesPod and the range search).

const NO_CLASSES: readonly number[] = [];

/**
 * The nodes of the ranges inside an ipBlock's addresses. Ranges are a partition every block respects: a range
 * is inside the block iff its first address is. Each interval of the block holds the first addresses of a
 * run of ranges (they are in that order): two searches per interval, then the run is written out, instead
 * of testing every range.
 */
function rangesInBlock(set: IpSet, ipRanges: readonly IpRange[], nw: number): Int32Array {
  const runs: number[] = [];
  let length = 0;
  for (const [a, b] of set.intervals) {
    const from = firstRangeAfter(ipRanges, a - 1n);
    const to = firstRangeAfter(ipRanges, b);
    if (to > from) runs.push(from, to);
    length += to - from;
  }
  const out = new Int32Array(length);
  let at = 0;
  for (let x = 0; x < runs.length; x += 2) for (let i = runs[x]!; i < runs[x + 1]!; i++) out[at++] = nw + i;
  return out;
}

/**
 * The first range whose first address is above `address` (ipRanges.length when none is). Ranges come in
 * address order of their first addresses (see partitionAddressSpace and derivedRanges).
 */
function firstRangeAfter(ipRanges: readonly IpRange[], address: bigint): number {
  let lo = 0;
  let hi = ipRanges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ipRanges[mid]!.set.intervals[0]![0] <= address) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds the classes of `list` (in a namespace of `allowedNs`, when given) that the peer matches to `found`. */
function matchingIn(peer: CompiledRule['peers'][number], classes: readonly WorkloadClass[], list: readonly number[], allowedNs: ReadonlySet<string> | undefined, found: number[]): void {
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    const w = classes[c]!.representative;
    if ((allowedNs === undefined || allowedNs.has(w.namespace)) && peer.matchesPod(w)) found.push(c);
  }
}

// derivedClasses' loops over every prior workload or class, as small functions of their own: it runs once
// per head, and its loops ran unoptimised until an on-stack replacement of the whole function (which took
// V8 over 100 ms to compile in the background, on a 2-core machine) was ready. A small function is
// optimised in a few ms.

/** The head position of each prior record (by the alignment's matchInA), -1 when not shared. */
function headPositions(priorCount: number, matchInA: Int32Array): Int32Array {
  const headAt = new Int32Array(priorCount).fill(-1);
  const n = matchInA.length;
  for (let j = 0; j < n; j++) {
    const k = matchInA[j]!;
    if (k >= 0) headAt[k] = j;
  }
  return headAt;
}

/** The head positions of the shared members of the flagged prior classes, by class key, in order. */
function regatherFlagged(prior: MatrixInternals, flagged: Uint8Array, headAt: Int32Array, changed: Map<string, number[]>): void {
  const classAt = prior.classAt;
  const n = prior.cluster.workloads.length;
  for (let k = 0; k < n; k++) {
    const p = classAt[k]!;
    if (flagged[p] === 1 && headAt[k]! >= 0) changed.get(prior.classKeyAt(p))!.push(headAt[k]!);
  }
}

/** Where takePriorRun is: the next prior class, and the next class of the head. */
interface RunCursor {
  p: number;
  c: number;
}

/** What derivedClasses fills per head class. */
interface RunTargets {
  readonly classes: WorkloadClass[];
  readonly firstAt: Int32Array;
  readonly remap: Int32Array;
  readonly priorOf: Int32Array;
}

/** The prior's unflagged classes from the cursor on, up to the first whose first member is past `limit`. */
function takePriorRun(prior: MatrixInternals, flagged: Uint8Array, headAt: Int32Array, limit: number, at: RunCursor, out: RunTargets): void {
  const priorNw = prior.nw;
  const priorClasses = prior.classes;
  const priorFirstAt = prior.firstAt;
  const { classes, firstAt, remap, priorOf } = out;
  let p = at.p;
  let c = at.c;
  for (; p < priorNw; p++) {
    if (flagged[p] === 1) continue;
    // A class none of whose members changed keeps its first member (a shared record).
    const first = headAt[priorFirstAt[p]!]!;
    if (first > limit) break;
    // The prior's very class, with its policy lists (read-only here: buildMatrix gives the classes of
    // the namespaces whose policies or classes are not the prior's objects of their own before building
    // their lists). No object per class: a head of 50,000 classes takes them as they are.
    classes[c] = priorClasses[p]!;
    firstAt[c] = first;
    remap[p] = c;
    priorOf[c] = p;
    c++;
  }
  at.p = p;
  at.c = c;
}

/** The class of each shared workload: its prior class's, renumbered (unless that class was regathered). */
function remapClassAt(matchInA: Int32Array, remap: Int32Array, priorClassAt: Int32Array, classAt: Int32Array): void {
  const n = matchInA.length;
  for (let j = 0; j < n; j++) {
    const k = matchInA[j]!;
    if (k < 0) continue;
    const x = remap[priorClassAt[k]!]!;
    if (x >= 0) classAt[j] = x;
  }
}

/**
 * The indexes of a cluster's policies in a few namespaces, ascending, from the prior's policies of those
 * namespaces through the alignment and the policies the prior lacks: not a walk of every policy.
 */
function policiesIn(
  prior: MatrixInternals,
  aligned: Alignment<NetworkPolicy>,
  policies: readonly NetworkPolicy[],
  namespaces: ReadonlySet<string>,
  allNamespaces: number,
): number[] {
  const out: number[] = [];
  if (namespaces.size === 0) return out;
  if (namespaces.size * 8 > allNamespaces) {
    for (let i = 0; i < policies.length; i++) if (namespaces.has(policies[i]!.namespace)) out.push(i);
    return out;
  }
  const headAt = new Int32Array(prior.cluster.policies.length).fill(-1);
  for (let i = 0; i < policies.length; i++) {
    const k = aligned.matchInA[i]!;
    if (k >= 0) headAt[k] = i;
  }
  const byNamespace = prior.policiesByNamespace();
  for (const ns of namespaces) for (const k of byNamespace.get(ns) ?? []) if (headAt[k]! >= 0) out.push(headAt[k]!);
  for (let x = 0; x < aligned.onlyB.length; x++) if (namespaces.has(aligned.onlyB[x]!.namespace)) out.push(aligned.onlyBIndex[x]!);
  return out.sort((x, y) => x - y);
}

function ownEndpoints(workloads: readonly Workload[], ipRanges: readonly IpRange[]): { endpoints: Endpoint[]; endpoint: (id: string) => Endpoint | undefined } {
  const endpoints: Endpoint[] = [
    ...workloads.map((w): Endpoint => ({ kind: 'workload', id: w.id, workload: w })),
    ...ipRanges.map((r): Endpoint => ({ kind: 'ip', id: r.id, range: r })),
  ];
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  return { endpoints, endpoint: (id) => byId.get(id) };
}

/**
 * The endpoints of a cluster that shares most workload records with the prior's: the prior's endpoint of each
 * shared record (and of every range when the partition is the prior's), new ones for the rest. An id is
 * looked up among the new ones, then among the prior's that are this cluster's too.
 */
function derivedEndpoints(
  prior: MatrixInternals,
  workloads: readonly Workload[],
  aligned: Alignment<Workload>,
  ipRanges: readonly IpRange[],
  priorRange: Int32Array | undefined,
): { endpoints: Endpoint[]; endpoint: (id: string) => Endpoint | undefined } {
  const own = new Map<string, Endpoint>();
  const endpoints: Endpoint[] = new Array<Endpoint>(workloads.length + ipRanges.length);
  for (let j = 0; j < workloads.length; j++) {
    const k = aligned.matchInA[j]!;
    if (k >= 0) endpoints[j] = prior.endpoints[k]!;
    else {
      const w = workloads[j]!;
      const e: Endpoint = { kind: 'workload', id: w.id, workload: w };
      endpoints[j] = e;
      own.set(e.id, e);
    }
  }
  // A range the prior has too (the same object: see derivedRanges) keeps the prior's endpoint; the prior's
  // ranges that were split are not answered from the prior.
  const split = new Set<IpRange>();
  for (let i = 0; i < ipRanges.length; i++) {
    const r = ipRanges[i]!;
    const at = ipRanges === prior.ipRanges ? i : (priorRange?.[i] ?? -1);
    if (at >= 0 && prior.ipRanges[at] === r) endpoints[workloads.length + i] = prior.endpoints[prior.cluster.workloads.length + at]!;
    else {
      const e: Endpoint = { kind: 'ip', id: r.id, range: r };
      endpoints[workloads.length + i] = e;
      own.set(e.id, e);
      if (at >= 0) split.add(prior.ipRanges[at]!);
    }
  }
  // Without the prior's ranges, none of the prior's range endpoints is this matrix's.
  const sharedRanges = ipRanges === prior.ipRanges || priorRange !== undefined;
  // Prior records not shared: their ids are not answered from the prior (unless this cluster has the id too).
  const gone = new Set<Workload>(aligned.onlyA);
  const endpoint = (id: string): Endpoint | undefined => {
    const e = own.get(id);
    if (e !== undefined) return e;
    const theirs = prior.endpoint(id);
    if (theirs === undefined) return undefined;
    if (theirs.kind === 'ip') return sharedRanges && !split.has(theirs.range) ? theirs : undefined;
    return gone.has(theirs.workload) ? undefined : theirs;
  };
  return { endpoints, endpoint };
}

/** The ipBlock sets of every rule (and every admin rule), in order: what the IP partition respects. */
function blockSetsOf(policies: readonly CompiledPolicy[], admin: readonly { readonly ingress: readonly CompiledAdminRule[]; readonly egress: readonly CompiledAdminRule[] }[]): IpSet[] {
  const out: IpSet[] = [];
  // Index loops, here and in countBlocks: these run once per build over every rule, mostly before the
  // optimising compiler has caught up, and for-of there allocates an iterator result per item.
  for (let i = 0; i < policies.length; i++) {
    pushBlockSets(policies[i]!.ingress, out);
    pushBlockSets(policies[i]!.egress, out);
  }
  for (const p of admin) for (const rules of [p.ingress, p.egress]) for (const r of rules) out.push(r.ipSet);
  return out;
}

function pushBlockSets(rules: readonly CompiledRule[], out: IpSet[]): void {
  for (let j = 0; j < rules.length; j++) {
    const peers = rules[j]!.peers;
    for (let k = 0; k < peers.length; k++) if (peers[k]!.peer.type === 'ipBlock') out.push(peers[k]!.ipSet);
  }
}

function sameKeys(a: NamespaceClasses, b: NamespaceClasses): boolean {
  if (a.size !== b.size) return false;
  for (const k of a.keys()) if (!b.has(k)) return false;
  return true;
}

/** Adds `by` to the count of each ipBlock peer (by its text) of the policies. */
function countBlocks(policies: readonly NetworkPolicy[], by: number, counts: Map<string, number>, sets?: Map<string, IpSet>): void {
  for (let i = 0; i < policies.length; i++) {
    countRuleBlocks(policies[i]!.ingress, by, counts, sets);
    countRuleBlocks(policies[i]!.egress, by, counts, sets);
  }
}

function countRuleBlocks(rules: readonly PolicyRule[], by: number, counts: Map<string, number>, sets: Map<string, IpSet> | undefined): void {
  for (let j = 0; j < rules.length; j++) {
    const peers = rules[j]!.peers;
    if (peers === 'all') continue;
    for (let k = 0; k < peers.length; k++) {
      const x = peers[k]!;
      if (x.type !== 'ipBlock') continue;
      const key = x.except.length === 0 ? `${x.cidr}|` : `${x.cidr}|${x.except.join(',')}`;
      counts.set(key, (counts.get(key) ?? 0) + by);
      sets?.set(key, IpSet.fromIpBlock(x.cidr, x.except));
    }
  }
}

/** At most this many new blocks refine the prior's partition; more are partitioned from scratch. */
const MAX_REFINING_BLOCKS = 64;

/**
 * The IP partition of a cluster whose policies are the prior's less `removed` plus `added`, from the prior's:
 * the coarsest partition respecting a set of blocks depends on that set alone, and adding blocks refines it
 * (each range split into its part inside and its part outside every new block). Undefined when a block the
 * prior had is gone (the partition may coarsen) or too many are new.
 */
function derivedRanges(prior: MatrixInternals, removed: readonly NetworkPolicy[], added: readonly NetworkPolicy[]): DerivedRanges | undefined {
  const delta = new Map<string, number>();
  const sets = new Map<string, IpSet>();
  countBlocks(removed, -1, delta);
  countBlocks(added, 1, delta, sets);
  let counts: ReadonlyMap<string, number> | undefined;
  const fresh: IpSet[] = [];
  for (const [key, net] of delta) {
    if (net === 0) continue;
    counts ??= prior.blockCounts();
    const had = counts.get(key) ?? 0;
    if (net < 0 && had + net <= 0) return undefined;
    if (net > 0 && had === 0) fresh.push(sets.get(key)!);
  }
  const same = (): DerivedRanges => ({ ranges: prior.ipRanges, priorRange: identity(prior.ipRanges.length) });
  if (fresh.length === 0) return same();
  if (fresh.length > MAX_REFINING_BLOCKS) return undefined;
  // The pieces of each prior range a new block splits; every other range is the prior's as it is. A block
  // splits only ranges holding addresses both inside and outside it: found through the prior's interval
  // index from the block, or from its complement when that is smaller ("0.0.0.0/0 except 10.0.0.0/8"
  // reaches every range, its complement a few), not by testing every range against every block.
  const pieces = new Map<number, IpRange[]>();
  for (const block of fresh) if (!block.isEmpty()) splitByBlock(prior, block, pieces);
  const split: SplitPiece[] = [];
  for (const [at, list] of pieces) if (list.length > 1) for (const range of list) split.push({ range, from: at, start: range.set.intervals[0]![0] });
  // No block splits a range: the partition is the prior's.
  if (split.length === 0) return same();
  // In address order of each range's first address, as partitionAddressSpace gives them: the prior's ranges
  // are in that order, and each piece goes before the first prior range starting after it.
  split.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  return mergeRanges(prior, split, pieces);
}

// derivedRanges' loops, as small functions of their own: it runs once per head, and V8 took ~70 ms to
// optimise it whole in the background during the first warm pull requests at the huge tier.

/** A piece of a prior range that a new block splits, with that range's index and the piece's first address. */
interface SplitPiece {
  readonly range: IpRange;
  readonly from: number;
  readonly start: bigint;
}

/**
 * Splits the pieces of the prior ranges that `block` reaches (the prior range alone when not split yet) in
 * two where they hold addresses both inside the block and outside it.
 */
function splitByBlock(prior: MatrixInternals, block: IpSet, pieces: Map<number, IpRange[]>): void {
  const complement = IpSet.all.subtract(block);
  const reached = prior.rangesMeeting(prior.intervalsMeeting(block) <= prior.intervalsMeeting(complement) ? block : complement);
  for (const at of reached) {
    const had = pieces.get(at) ?? [prior.ipRanges[at]!];
    if (!had.some((r) => splitsRange(r, block, complement))) continue;
    const next: IpRange[] = [];
    for (const r of had) {
      if (splitsRange(r, block, complement)) next.push(ipRangeOf(r.set.intersect(block)), ipRangeOf(r.set.subtract(block)));
      else next.push(r);
    }
    pieces.set(at, next);
  }
}

/** A range is split when it holds addresses inside the block and outside it. */
function splitsRange(r: IpRange, block: IpSet, complement: IpSet): boolean {
  return meets(r.set.intervals, block.intervals) && meets(r.set.intervals, complement.intervals);
}

/**
 * The prior's ranges with the split ones replaced by their pieces (`split`, sorted by first address), in
 * address order: each piece goes before the first prior range starting after it.
 */
function mergeRanges(prior: MatrixInternals, split: readonly SplitPiece[], pieces: ReadonlyMap<number, IpRange[]>): DerivedRanges {
  const firsts = prior.rangeFirsts();
  const ranges: IpRange[] = [];
  const from: number[] = [];
  let x = 0;
  for (let at = 0; at <= firsts.length; at++) {
    for (; x < split.length && (at === firsts.length || split[x]!.start < firsts[at]!); x++) {
      ranges.push(split[x]!.range);
      from.push(split[x]!.from);
    }
    if (at === firsts.length) break;
    if ((pieces.get(at)?.length ?? 1) > 1) continue;
    ranges.push(prior.ipRanges[at]!);
    from.push(at);
  }
  return { ranges, priorRange: Int32Array.from(from) };
}

function identity(length: number): Int32Array {
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = i;
  return out;
}

/** A partition refined from the prior's, and the prior range (by index) each range lies in. */
interface DerivedRanges {
  readonly ranges: readonly IpRange[];
  readonly priorRange: Int32Array;
}

/**
 * Whether a set holds an address of any of `parts` (both sorted, disjoint intervals): a search of the set
 * per part, so a range of thousands of intervals costs a few steps against a block of a few.
 */
function meets(set: readonly IpInterval[], parts: readonly IpInterval[]): boolean {
  for (const [p0, p1] of parts) {
    // The first interval of the set ending at or after p0.
    let lo = 0;
    let hi = set.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (set[mid]![1] < p0) lo = mid + 1;
      else hi = mid;
    }
    if (lo < set.length && set[lo]![0] <= p1) return true;
  }
  return false;
}

/** The last interval starting at or before `address` (the first when none does). */
function intervalAt(starts: readonly { readonly start: bigint }[], address: bigint): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]!.start <= address) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function ipRangeOf(set: IpSet): IpRange {
  const normal = IpSet.fromIntervals(set.intervals);
  const cidrs = normal.toCidrs();
  return { id: cidrs.join(','), cidrs, set: normal };
}

/** The same policy: the same record (the loader shares unchanged ones), or the same id and spec. */
function samePolicy(a: NetworkPolicy, b: NetworkPolicy | undefined): boolean {
  return a === b || (b !== undefined && a.id === b.id && a.specKey === b.specKey);
}

function samePolicies(a: readonly NetworkPolicy[], b: readonly NetworkPolicy[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!samePolicy(a[i]!, b[i])) return false;
  return true;
}

function isSorted(xs: Int32Array): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]! > xs[i]!) return false;
  return true;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Peers (namespace selectors) matched by scanning before a matrix that borrows rows builds its label index of
 * classes (namespaces): a scan costs one check per class (namespace), an index one pass over all labels.
 */
const FEW_PEERS = 256;
const FEW_SELECTORS = 16;

/** Workload records are shared by base and head: each one's class key is computed once. */
const classKeys = new WeakMap<Workload, string>();
function classKeyOf(w: Workload): string {
  let key = classKeys.get(w);
  if (key === undefined) classKeys.set(w, (key = classKey(w)));
  return key;
}

function classKey(w: Workload): string {
  const labels = labelsKey(w.labels);
  const ports = w.ports
    .filter((p) => p.name)
    .map((p) => `${p.name}/${p.protocol}/${p.port}`)
    .sort()
    .join('\u0001');
  return `${w.namespace}\u0000${labels}\u0000${ports}\u0000${w.hostNetwork ? 1 : 0}`;
}
