import { IpSet } from '../engine/ipSet.js';
import type { Cluster } from '../manifests/model.js';
import type { DeltaEnd } from './deltaTypes.js';
import { describeIps } from './describeIps.js';
import { describeWorkloads } from './describeWorkloads.js';
import type { EndpointGroup } from './types.js';

/** Workloads and addresses in the fewest true words, with every member id. */
export function describeGroup(ends: readonly DeltaEnd[], cluster: Cluster): EndpointGroup {
  const workloads = ends.flatMap((e) => (e.workload ? [e.workload] : []));
  const ips = IpSet.unionAll(ends.flatMap((e) => (e.ips ? [e.ips] : [])));
  const parts: string[] = [];
  if (workloads.length > 0) parts.push(describeWorkloads(workloads, cluster));
  if (!ips.isEmpty()) parts.push(describeIps(ips));
  return { text: parts.length > 0 ? parts.join(' and ') : 'nothing', members: ends.map((e) => e.id).sort() };
}
