import type { Endpoint, ReachabilityMatrix } from '../engine/matrix.js';
import { PortSet } from '../engine/portSet.js';
import type { Workload } from '../manifests/model.js';
import { endOf } from './deltaTypes.js';
import { describeGroup } from './describeGroup.js';
import { displayName } from './displayName.js';
import { PeersMemo } from './peersMemo.js';
import { byPair, toPairDelta } from './pairDelta.js';
import { riskFlags } from './riskFlags.js';
import type { DiffLine } from './types.js';

/** Every connection into or out of one workload (for the lines of added and removed workloads). */
export function connectionsOf(
  m: ReachabilityMatrix,
  w: Workload,
  memo: PeersMemo = new PeersMemo(),
): { src: Endpoint; dst: Endpoint; ports: PortSet }[] {
  const self = m.endpoint(w.id)!;
  const out: { src: Endpoint; dst: Endpoint; ports: PortSet }[] = [];
  // (Indexed loops: thousands of peers for a workload that reaches every address range, first met in code V8
  // has not optimised, where a for-of makes an object per step.)
  const from = memo.peersOf(m, w, 'from');
  for (let k = 0; k < from.length; k++) {
    const { endpoints, ports } = from[k]!;
    for (let x = 0; x < endpoints.length; x++) {
      const e = endpoints[x]!;
      if (!(e === self && w.kind === 'Pod')) out.push({ src: e, dst: self, ports });
    }
  }
  const to = memo.peersOf(m, w, 'to');
  for (let k = 0; k < to.length; k++) {
    const { endpoints, ports } = to[k]!;
    for (let x = 0; x < endpoints.length; x++) {
      const e = endpoints[x]!;
      if (e !== self) out.push({ src: self, dst: e, ports });
    }
  }
  return out;
}

/** One line for a workload the change adds or removes, instead of one line per peer. */
export function workloadLine(
  direction: 'added' | 'removed',
  w: Workload,
  m: ReachabilityMatrix,
  memo: PeersMemo = new PeersMemo(),
  conns: readonly { src: Endpoint; dst: Endpoint; ports: PortSet }[] = connectionsOf(m, w, memo),
  toPair: typeof toPairDelta = toPairDelta,
): DiffLine {
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
    pairs: conns.map((c) => toPair({ src: { id: c.src.id }, dst: { id: c.dst.id }, ports: c.ports })).sort(byPair),
  };
}
