// A deliberately naive evaluator, written separately from src/engine: it answers one
// (src, dst, protocol, port) at a time by reading the policies as the API reference describes them.
// The property tests check the engine against it.
import ipaddr from 'ipaddr.js';
import type { Cluster, LabelSelector, Labels, NetworkPolicy, PolicyPeer, PolicyRule, Workload } from '../../src/manifests/model.js';

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
  const selecting = cluster.policies.filter(
    (p) => p.namespace === w.namespace && (dir === 'ingress' ? p.affectsIngress : p.affectsEgress) && selectorMatches(p.podSelector, w.labels),
  );
  if (selecting.length === 0) return true;
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
