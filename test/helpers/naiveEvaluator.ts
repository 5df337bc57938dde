// A deliberately naive evaluator, written separately from src/engine: it answers one
// (src, dst, protocol, port) at a time by reading the policies as the API reference describes them.
// The property tests check the engine against it.
import ipaddr from 'ipaddr.js';
import type {
  AdminNetworkPolicy,
  AdminPeer,
  AdminRule,
  Cluster,
  LabelSelector,
  Labels,
  NetworkPolicy,
  PolicyPeer,
  PolicyRule,
  Workload,
} from '../../src/manifests/model.js';

export type NaiveEnd = { workload: Workload } | { ip: string };
export type NaiveProtocol = 'TCP' | 'UDP' | 'SCTP' | 'ICMP';

function selectorMatches(sel: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions) {
    const value = labels[e.key];
    if (e.operator === 'In' && (value === undefined || !e.values.includes(value))) return false;
    if (e.operator === 'NotIn' && value !== undefined && e.values.includes(value)) return false;
    if (e.operator === 'Exists' && value === undefined) return false;
    if (e.operator === 'DoesNotExist' && value !== undefined) return false;
  }
  return true;
}

function inCidr(ip: string, cidr: string): boolean {
  const addr = ipaddr.parse(ip);
  const [net, bits] = ipaddr.parseCIDR(cidr);
  return addr.kind() === net.kind() && addr.match([net, bits] as never);
}

function blockMatchesIp(peer: PolicyPeer & { type: 'ipBlock' }, ip: string): boolean {
  return inCidr(ip, peer.cidr) && !peer.except.some((e) => inCidr(ip, e));
}

function toBig(ip: string): bigint {
  return ipaddr.parse(ip).toByteArray().reduce((v, b) => (v << 8n) | BigInt(b), 0n);
}

function fromBig(v: bigint, v6: boolean): string {
  const bytes: number[] = [];
  for (let i = (v6 ? 16 : 4) - 1; i >= 0; i--) bytes.push(Number((v >> BigInt(i * 8)) & 255n));
  return ipaddr.fromByteArray(bytes).toString();
}

/**
 * Node traffic (hostNetwork pods) comes from node IPs the manifests don't give, so a rule matches it only
 * when its ipBlocks together cover a whole address family. Checked pointwise: every interval between CIDR
 * boundaries starts at a boundary, so testing each boundary address is exact.
 */
function coversAFamily(peers: readonly PolicyPeer[]): boolean {
  const blocks = peers.filter((p): p is PolicyPeer & { type: 'ipBlock' } => p.type === 'ipBlock');
  return [false, true].some((v6) => {
    const width = v6 ? 128n : 32n;
    const points = new Set<bigint>([0n]);
    for (const b of blocks) {
      for (const c of [b.cidr, ...b.except]) {
        const [net, bits] = ipaddr.parseCIDR(c);
        if ((net.kind() === 'ipv6') !== v6) continue;
        const start = toBig(net.toString());
        const end = start + (1n << (width - BigInt(bits)));
        points.add(start);
        if (end < 1n << width) points.add(end);
      }
    }
    return [...points].every((pt) => blocks.some((b) => blockMatchesIp(b, fromBig(pt, v6))));
  });
}

function peerMatches(peer: PolicyPeer, policy: NetworkPolicy, other: NaiveEnd, cluster: Cluster): boolean {
  if (peer.type === 'ipBlock') return 'ip' in other && blockMatchesIp(peer, other.ip);
  if ('ip' in other || other.workload.hostNetwork) return false;
  const w = other.workload;
  const nsOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, cluster.namespaces.get(w.namespace)!.labels)
    : w.namespace === policy.namespace;
  return nsOk && (peer.podSelector ? selectorMatches(peer.podSelector, w.labels) : true);
}

function portMatches(rule: PolicyRule, dst: NaiveEnd, protocol: NaiveProtocol, port: number): boolean {
  if (rule.ports === 'all') return true;
  return rule.ports.some((p) => {
    if (p.protocol !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return port >= p.port && port <= (p.endPort ?? p.port);
    return 'workload' in dst && dst.workload.ports.some((cp) => cp.name === p.port && cp.protocol === protocol && cp.port === port);
  });
}

// AdminNetworkPolicy / BaselineAdminNetworkPolicy, read from the API reference (network-policy-api
// apis/v1alpha1): the subject selects non-hostNetwork pods; rules are tried in order (ANPs by priority), the
// first rule whose peers and ports match decides.
function adminSubjectSelects(p: AdminNetworkPolicy, w: Workload, cluster: Cluster): boolean {
  if (w.hostNetwork) return false;
  return (
    selectorMatches(p.subject.namespaceSelector, cluster.namespaces.get(w.namespace)!.labels) &&
    (p.subject.podSelector === undefined || selectorMatches(p.subject.podSelector, w.labels))
  );
}

function adminRuleMatches(rule: AdminRule, other: NaiveEnd, dst: NaiveEnd, cluster: Cluster, protocol: NaiveProtocol, port: number): boolean {
  const networks = rule.peers.flatMap((p) => (p.type === 'networks' ? p.cidrs : []));
  const blocks: PolicyPeer[] = networks.map((cidr) => ({ type: 'ipBlock', cidr, except: [] }));
  const peerOk = (peer: AdminPeer): boolean => {
    if ('ip' in other) return peer.type === 'networks' && peer.cidrs.some((c) => inCidr(other.ip, c));
    const w = other.workload;
    // Pod addresses are unknown: networks match a pod only when they cover a whole family.
    if (blocks.length > 0 && coversAFamily(blocks)) return true;
    if (peer.type === 'nodes') return w.hostNetwork && Object.keys(peer.nodeSelector.matchLabels).length === 0 && peer.nodeSelector.matchExpressions.length === 0;
    if (peer.type === 'networks' || w.hostNetwork) return false;
    if (!selectorMatches(peer.namespaceSelector, cluster.namespaces.get(w.namespace)!.labels)) return false;
    return peer.type === 'namespaces' || selectorMatches(peer.podSelector, w.labels);
  };
  if (!rule.peers.some(peerOk)) return false;
  if (rule.ports === 'all') return true;
  return rule.ports.some((p) => {
    if (p.type === 'number') return p.protocol === protocol && p.port === port;
    if (p.type === 'range') return p.protocol === protocol && port >= p.start && port <= p.end;
    return 'workload' in dst && dst.workload.ports.some((cp) => cp.name === p.name && cp.protocol === protocol && cp.port === port);
  });
}

function directionAllows(
  cluster: Cluster,
  dir: 'ingress' | 'egress',
  self: NaiveEnd,
  other: NaiveEnd,
  dst: NaiveEnd,
  protocol: NaiveProtocol,
  port: number,
): boolean {
  if ('ip' in self || self.workload.hostNetwork) return true;
  const w = self.workload;
  const anps = [...(cluster.adminPolicies ?? [])].sort((a, b) => a.priority! - b.priority! || (a.name < b.name ? -1 : 1));
  anpLoop: for (const p of anps) {
    if (!adminSubjectSelects(p, w, cluster)) continue;
    for (const r of dir === 'ingress' ? p.ingress : p.egress) {
      if (!adminRuleMatches(r, other, dst, cluster, protocol, port)) continue;
      if (r.action === 'Allow') return true;
      if (r.action === 'Deny') return false;
      break anpLoop; // Pass: skip every remaining ANP rule
    }
  }
  const selecting = cluster.policies.filter(
    (p) => p.namespace === w.namespace && (dir === 'ingress' ? p.affectsIngress : p.affectsEgress) && selectorMatches(p.podSelector, w.labels),
  );
  if (selecting.length === 0) {
    const banp = cluster.baselinePolicy;
    if (banp && adminSubjectSelects(banp, w, cluster)) {
      for (const r of dir === 'ingress' ? banp.ingress : banp.egress) {
        if (adminRuleMatches(r, other, dst, cluster, protocol, port)) return r.action === 'Allow';
      }
    }
    return true;
  }
  return selecting.some((p) =>
    (dir === 'ingress' ? p.ingress : p.egress).some(
      (r) =>
        (r.peers === 'all' ||
          r.peers.some((peer) => peerMatches(peer, p, other, cluster)) ||
          ('workload' in other && other.workload.hostNetwork && coversAFamily(r.peers))) &&
        portMatches(r, dst, protocol, port),
    ),
  );
}

export function naiveAllowed(cluster: Cluster, src: NaiveEnd, dst: NaiveEnd, protocol: NaiveProtocol, port: number): boolean {
  return (
    directionAllows(cluster, 'egress', src, dst, dst, protocol, port) &&
    directionAllows(cluster, 'ingress', dst, src, dst, protocol, port)
  );
}
