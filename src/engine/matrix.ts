import type { AdminNetworkPolicy, Cluster, NetworkPolicy, Workload } from '../manifests/model.js';
import { compileCluster, namespaceFingerprint, type CompiledAdminRule, type CompiledCluster, type CompiledRule, type Direction } from './compile.js';
import { partitionAddressSpace, type IpRange } from './ipPartition.js';
import { LabelIndex } from './labelIndex.js';
import { compileSelector, type LabelMatcher } from './labelSelector.js';
import { PortSet } from './portSet.js';
import { PortSetTable } from './portSetTable.js';
import { GROUP_THRESHOLD, SparseRow, type NodeGroup } from './sparseRow.js';

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

interface WorkloadClass {
  readonly representative: Workload;
  readonly members: Workload[];
  /** What the NetworkPolicies allow; undefined when none isolates the class. */
  ingressRow?: SparseRow;
  egressRow?: SparseRow;
  readonly ingressBy: NetworkPolicy[];
  readonly egressBy: NetworkPolicy[];
  ingressTiers?: TierRows;
  egressTiers?: TierRows;
  readonly adminIngressBy: AdminNetworkPolicy[];
  readonly adminEgressBy: AdminNetworkPolicy[];
}

/**
 * The matrix of a cluster. Memoised on what the matrix depends on (the identity of every workload and policy
 * record, which the loader shares between builds of the same documents, and the namespaces' labels), so the
 * merge base of a pull request, analysed again on every push or command, is computed once.
 */
export function computeMatrix(cluster: Cluster): ReachabilityMatrix {
  const key = matrixKey(cluster);
  const hit = matrixCache.find((e) => e.key === key);
  if (hit) {
    // Same records, maybe another build (diagnostics, texts): answer with this cluster.
    return hit.matrix.cluster === cluster ? hit.matrix : { ...hit.matrix, cluster };
  }
  const matrix = buildMatrix(cluster);
  matrixCache.unshift({ key, matrix });
  matrixCache.length = Math.min(matrixCache.length, MATRIX_CACHE_SIZE);
  return matrix;
}

const MATRIX_CACHE_SIZE = 2;
const matrixCache: { key: string; matrix: ReachabilityMatrix }[] = [];
const recordIds = new WeakMap<object, number>();
let nextRecordId = 1;

function recordId(o: object): number {
  let id = recordIds.get(o);
  if (id === undefined) {
    id = nextRecordId++;
    recordIds.set(o, id);
  }
  return id;
}

/** Equal keys: the same workload and policy records in the same order, and the same namespace labels. */
function matrixKey(cluster: Cluster): string {
  const ids = (xs: readonly object[] | undefined) => (xs ?? []).map(recordId).join(',');
  return [
    ids(cluster.workloads),
    ids(cluster.policies),
    ids(cluster.adminPolicies),
    cluster.baselinePolicy ? recordId(cluster.baselinePolicy) : '',
    namespaceFingerprint(cluster),
  ].join('|');
}

function buildMatrix(cluster: Cluster): ReachabilityMatrix {
  const compiled = compileCluster(cluster);
  const table = new PortSetTable();

  // Workload classes.
  const classes: WorkloadClass[] = [];
  const classByKey = new Map<string, number>();
  const classOfWorkload = new Map<Workload, number>();
  const classesByNamespace = new Map<string, number[]>();
  for (const w of cluster.workloads) {
    const key = classKey(w);
    let c = classByKey.get(key);
    if (c === undefined) {
      c = classes.length;
      classByKey.set(key, c);
      classes.push({ representative: w, members: [], ingressBy: [], egressBy: [], adminIngressBy: [], adminEgressBy: [] });
      const list = classesByNamespace.get(w.namespace);
      if (list) list.push(c);
      else classesByNamespace.set(w.namespace, [c]);
    }
    classes[c]!.members.push(w);
    classOfWorkload.set(w, c);
  }
  const hostNetworkClasses = classes.flatMap((k, i) => (k.representative.hostNetwork ? [i] : []));
  const classIndex = new LabelIndex(
    classes.map((_, i) => i),
    (i) => classes[i]!.representative.labels,
  );

  // IP ranges: the coarsest partition that every ipBlock peer respects.
  const adminPolicies = [...compiled.admin, ...(compiled.baseline ? [compiled.baseline] : [])];
  const blockSets = [
    ...compiled.policies.flatMap((p) =>
      [...p.ingress, ...p.egress].flatMap((r) => r.peers.filter((x) => x.peer.type === 'ipBlock').map((x) => x.ipSet)),
    ),
    ...adminPolicies.flatMap((p) => [...p.ingress, ...p.egress].map((r) => r.ipSet)),
  ];
  const ipRanges = partitionAddressSpace(blockSets);
  const nw = classes.length;
  const n = nw + ipRanges.length;

  // Which nodes (classes, then IP ranges) a rule's from/to matches.
  const nsSelectorCache = new Map<string, string[]>();
  const namespaceIndex = new LabelIndex([...classesByNamespace.keys()], (ns) => compiled.namespaceLabels(ns));
  const namespacesMatching = (sel: Parameters<typeof compileSelector>[0]): string[] => {
    const key = JSON.stringify(sel);
    let hit = nsSelectorCache.get(key);
    if (!hit) {
      const m: LabelMatcher = compileSelector(sel);
      hit = namespaceIndex.candidates(sel).flatMap((list) => list.filter((ns) => m(compiled.namespaceLabels(ns))));
      nsSelectorCache.set(key, hit);
    }
    return hit;
  };
  const allNodes = Array.from({ length: n }, (_, i) => i);
  const rangeStarts = ipRanges
    .map((r, range) => ({ start: r.set.intervals[0]![0], range }))
    .sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  // What one peer matches, computed once per peer key: real clusters repeat the same peers (DNS egress to
  // kube-dns, "from the ingress controller") in every namespace.
  const peerNodes = new Map<string, readonly number[]>();
  const nodesOfPeer = (peer: CompiledRule['peers'][number], policyNamespace: string): readonly number[] => {
    let hit = peerNodes.get(peer.key);
    if (hit) return hit;
    if (peer.peer.type === 'ipBlock') {
      // Ranges are a partition every block respects: a range is inside the block iff its first address is.
      // Walk the block's intervals over the sorted range starts instead of testing every range.
      const found: number[] = [];
      for (const [a, b] of peer.ipSet.intervals) {
        let lo = 0;
        let hi = rangeStarts.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (rangeStarts[mid]!.start < a) lo = mid + 1;
          else hi = mid;
        }
        for (let i = lo; i < rangeStarts.length && rangeStarts[i]!.start <= b; i++) found.push(nw + rangeStarts[i]!.range);
      }
      hit = found;
    } else {
      const namespaces = peer.peer.namespaceSelector ? namespacesMatching(peer.peer.namespaceSelector) : [policyNamespace];
      // Candidates from the label index (the classes carrying the podSelector's most selective
      // requirement), unless the matching namespaces hold fewer classes than that.
      const candidates = classIndex.candidates(peer.peer.podSelector);
      const found: number[] = [];
      if (LabelIndex.size(candidates) < namespaces.reduce((n, ns) => n + (classesByNamespace.get(ns)?.length ?? 0), 0)) {
        const allowedNs = new Set(namespaces);
        for (const list of candidates) {
          for (const c of list) {
            const w = classes[c]!.representative;
            if (allowedNs.has(w.namespace) && peer.matchesPod(w)) found.push(c);
          }
        }
        found.sort((a, b) => a - b);
      } else {
        for (const ns of namespaces) {
          for (const c of classesByNamespace.get(ns) ?? []) if (peer.matchesPod(classes[c]!.representative)) found.push(c);
        }
      }
      hit = found;
    }
    peerNodes.set(peer.key, hit);
    return hit;
  };
  const ruleNodes = new Map<string, readonly number[]>();
  // Large peer lists become one sorted group shared by every row they are granted to.
  const groups = new WeakMap<readonly number[], NodeGroup>();
  const groupOf = (peers: readonly number[]): NodeGroup => {
    let g = groups.get(peers);
    if (!g) {
      g = Int32Array.from(peers).sort();
      groups.set(peers, g);
    }
    return g;
  };
  const seen = new Uint8Array(n);
  const matchedNodes = (rule: CompiledRule): readonly number[] => {
    if (rule.matchesAllPeers) return allNodes;
    if (rule.peers.length === 1 && hostNetworkClasses.length === 0) return nodesOfPeer(rule.peers[0]!, rule.policy.namespace);
    const key = rule.peersKey;
    const hit = ruleNodes.get(key);
    if (hit) return hit;
    // Union of the peers' node lists, deduplicated with a reusable mark array (no Set per rule).
    const nodes: number[] = [];
    const add = (node: number) => {
      if (seen[node] === 0) {
        seen[node] = 1;
        nodes.push(node);
      }
    };
    for (const peer of rule.peers) for (const node of nodesOfPeer(peer, rule.policy.namespace)) add(node);
    // hostNetwork pods are matched only by rules whose addresses cover a whole family (see compile.ts).
    for (const c of hostNetworkClasses) if (rule.matchesPod(classes[c]!.representative)) add(c);
    for (const node of nodes) seen[node] = 0;
    ruleNodes.set(key, nodes);
    return nodes;
  };
  const nodeWorkload = (i: number): Workload | null => (i < nw ? classes[i]!.representative : null);

  for (const cp of compiled.policies) {
    const selected = (classesByNamespace.get(cp.policy.namespace) ?? []).filter((c) =>
      cp.selects(classes[c]!.representative),
    );
    if (selected.length === 0) continue;
    if (cp.policy.affectsIngress) {
      for (const c of selected) {
        const k = classes[c]!;
        k.ingressRow ??= new SparseRow(table);
        k.ingressBy.push(cp.policy);
      }
      for (const rule of cp.ingress) {
        const peers = matchedNodes(rule);
        for (const c of selected) {
          const ports = table.id(rule.portsFor(classes[c]!.representative));
          if (ports === PortSetTable.EMPTY) continue;
          const row = classes[c]!.ingressRow!;
          if (peers === allNodes) row.grantAll(ports);
          else if (peers.length > GROUP_THRESHOLD) row.grantGroup(groupOf(peers), ports);
          else for (const s of peers) row.grant(s, ports);
        }
      }
    }
    if (cp.policy.affectsEgress) {
      for (const c of selected) {
        const k = classes[c]!;
        k.egressRow ??= new SparseRow(table);
        k.egressBy.push(cp.policy);
      }
      for (const rule of cp.egress) {
        const peers = matchedNodes(rule);
        if (rule.namedPorts.length === 0) {
          // The common case: the same ports towards every peer.
          const ports = table.id(rule.portsFor(null));
          if (ports === PortSetTable.EMPTY) continue;
          for (const c of selected) {
            const row = classes[c]!.egressRow!;
            if (peers === allNodes) row.grantAll(ports);
            else if (peers.length > GROUP_THRESHOLD) row.grantGroup(groupOf(peers), ports);
            else for (const d of peers) row.grant(d, ports);
          }
          continue;
        }
        // Named ports resolve on each destination: group the peers by what they resolve to, so each group
        // is granted like any peer list (large ones shared).
        const nodesByPorts = new Map<number, number[]>();
        for (const d of peers) {
          const ports = table.id(rule.portsFor(nodeWorkload(d)));
          if (ports === PortSetTable.EMPTY) continue;
          const list = nodesByPorts.get(ports);
          if (list) list.push(d);
          else nodesByPorts.set(ports, [d]);
        }
        for (const c of selected) {
          const row = classes[c]!.egressRow!;
          for (const [ports, nodes] of nodesByPorts) {
            if (nodes.length > GROUP_THRESHOLD) row.grantGroup(groupOf(nodes), ports);
            else for (const d of nodes) row.grant(d, ports);
          }
        }
      }
    }
  }

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
        const np = direction === 'ingress' ? k.ingressRow : k.egressRow;
        for (let s = 0; s < n; s++) {
          const undecided = table.subtract(table.subtract(PortSetTable.ALL, rows.anpAllow[s]!), rows.anpDeny[s]!);
          const lower = np ? np.get(s) : table.subtract(PortSetTable.ALL, rows.banpDeny[s]!);
          rows.effective[s] = table.union(rows.anpAllow[s]!, table.intersect(undecided, lower));
        }
        if (direction === 'ingress') {
          k.ingressTiers = rows;
          k.adminIngressBy.push(...anps.map((p) => p.policy), ...(banp ? [banp.policy] : []));
        } else {
          k.egressTiers = rows;
          k.adminEgressBy.push(...anps.map((p) => p.policy), ...(banp ? [banp.policy] : []));
        }
      }
    }
  }

  const rangeIndex = new Map(ipRanges.map((r, i) => [r, i]));
  const nodeOf = (e: Endpoint): number => {
    const node = e.kind === 'workload' ? classOfWorkload.get(e.workload) : rangeIndex.get(e.range);
    if (node === undefined) throw new Error(`endpoint ${e.id} is not part of this matrix`);
    return e.kind === 'workload' ? node : nw + node;
  };

  const egressNodes = (s: number, d: number): number => {
    const k = s < nw ? classes[s]! : undefined;
    if (!k) return PortSetTable.ALL;
    if (k.egressTiers) return k.egressTiers.effective[d]!;
    return k.egressRow ? k.egressRow.get(d) : PortSetTable.ALL;
  };
  const ingressNodes = (s: number, d: number): number => {
    const k = d < nw ? classes[d]! : undefined;
    if (!k) return PortSetTable.ALL;
    if (k.ingressTiers) return k.ingressTiers.effective[s]!;
    return k.ingressRow ? k.ingressRow.get(s) : PortSetTable.ALL;
  };
  const decisionsOf = (s: number, d: number, direction: Direction): TierDecisions => {
    const subject = direction === 'ingress' ? d : s;
    const peer = direction === 'ingress' ? s : d;
    const k = subject < nw ? classes[subject]! : undefined;
    const np = k ? (direction === 'ingress' ? k.ingressRow : k.egressRow) : undefined;
    const tiers = k ? (direction === 'ingress' ? k.ingressTiers : k.egressTiers) : undefined;
    const at = (row: Uint32Array | undefined): PortSet => table.get(row ? row[peer]! : PortSetTable.EMPTY);
    return {
      anpAllow: at(tiers?.anpAllow),
      anpDeny: at(tiers?.anpDeny),
      anpPass: at(tiers?.anpPass),
      npIsolated: np !== undefined,
      npAllowed: np ? table.get(np.get(peer)) : PortSet.all,
      banpAllow: at(tiers?.banpAllow),
      banpDeny: at(tiers?.banpDeny),
      allowed: table.get(direction === 'ingress' ? ingressNodes(s, d) : egressNodes(s, d)),
    };
  };
  const allowedNodes = (s: number, d: number): number => {
    if (s >= nw && d >= nw) return PortSetTable.EMPTY;
    return table.intersect(egressNodes(s, d), ingressNodes(s, d));
  };

  const endpoints: Endpoint[] = [
    ...cluster.workloads.map((w): Endpoint => ({ kind: 'workload', id: w.id, workload: w })),
    ...ipRanges.map((r): Endpoint => ({ kind: 'ip', id: r.id, range: r })),
  ];
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  const rangeEndpoints = endpoints.slice(cluster.workloads.length);
  const classEndpoints: (Endpoint[] | undefined)[] = [];
  const nodeEndpoints = (node: number): Endpoint[] =>
    node < nw ? (classEndpoints[node] ??= classes[node]!.members.map((w) => byId.get(w.id)!)) : [rangeEndpoints[node - nw]!];

  return {
    compiled,
    cluster,
    workloads: cluster.workloads,
    ipRanges,
    endpoints,
    endpoint: (id) => byId.get(id),
    allowed: (src, dst) => table.get(allowedNodes(nodeOf(src), nodeOf(dst))),
    egressAllowed: (src, dst) => table.get(egressNodes(nodeOf(src), nodeOf(dst))),
    ingressAllowed: (src, dst) => table.get(ingressNodes(nodeOf(src), nodeOf(dst))),
    decisions: (src, dst, direction) => decisionsOf(nodeOf(src), nodeOf(dst), direction),
    classOf: (w) => classOfWorkload.get(w)!,
    workloadsMatching: (rule) => matchedNodes(rule).flatMap((node) => (node < nw ? classes[node]!.members : [])),
    isolation: (w) => {
      const k = classes[classOfWorkload.get(w)!]!;
      return { ingress: k.ingressBy, egress: k.egressBy, admin: { ingress: k.adminIngressBy, egress: k.adminEgressBy } };
    },
    nodeOf,
    allowedAt: (src, dst) => table.get(allowedNodes(src, dst)),
    egressAt: (src, dst) => table.get(egressNodes(src, dst)),
    ingressAt: (src, dst) => table.get(ingressNodes(src, dst)),
    peersOf: (w, side) => {
      const self = classOfWorkload.get(w);
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
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function classKey(w: Workload): string {
  const labels = Object.keys(w.labels)
    .sort()
    .map((k) => `${k}=${w.labels[k]}`)
    .join('\u0001');
  const ports = w.ports
    .filter((p) => p.name)
    .map((p) => `${p.name}/${p.protocol}/${p.port}`)
    .sort()
    .join('\u0001');
  return `${w.namespace}\u0000${labels}\u0000${ports}\u0000${w.hostNetwork ? 1 : 0}`;
}
