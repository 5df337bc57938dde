import { IpSet } from '../engine/ipSet.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { PortSet } from '../engine/portSet.js';
import type { Workload } from '../manifests/model.js';
import { describeGroup } from './describeGroup.js';
import { PeersMemo } from './peersMemo.js';
import type { EndpointGroup } from './types.js';

/** Every peer that the anchor workload allows (or may reach) on all of `ports`, on one side. */
export function peersAllowing(
  m: ReachabilityMatrix,
  w: Workload,
  anchorSide: 'dst' | 'src',
  ports: PortSet,
  memo: PeersMemo = new PeersMemo(),
): EndpointGroup | undefined {
  // The anchor may be the other side's object: this side's workload is the one with its id.
  const self = m.endpoint(w.id);
  if (!self || self.kind !== 'workload') return undefined;
  const workloads: Workload[] = [];
  const ranges: IpSet[] = [];
  for (const peer of memo.peersOf(m, self.workload, anchorSide === 'dst' ? 'from' : 'to')) {
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
