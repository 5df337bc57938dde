// Internal shapes of the diff between its steps (not part of the public ReachabilityDiff contract).
import type { Endpoint } from '../engine/matrix.js';
import type { IpSet } from '../engine/ipSet.js';
import type { PortSet } from '../engine/portSet.js';
import type { Workload } from '../manifests/model.js';
import type { Attribution } from './types.js';

/** One end of a member-level delta: a workload, or a set of addresses. */
export interface DeltaEnd {
  readonly id: string;
  readonly workload?: Workload;
  readonly ips?: IpSet;
}

/**
 * An address atom as a delta end: its id (the set in CIDRs) made only if asked. The diff merges the atoms of
 * a row or column into one set with an id of its own, so the id of each of thousands of atoms was made for
 * nothing.
 */
export class AtomEnd implements DeltaEnd {
  #id: string | undefined;
  constructor(readonly ips: IpSet) {}
  get id(): string {
    return (this.#id ??= this.ips.toString());
  }
}

/** A node of the joint graph: workloads that both sides treat alike, or an address atom. */
export type JointNode =
  | { readonly kind: 'workloads'; readonly members: readonly { base: Workload; head: Workload }[]; readonly b: Endpoint; readonly h: Endpoint }
  | { readonly kind: 'ips'; readonly set: IpSet; readonly b: Endpoint; readonly h: Endpoint };

/** One member-level delta, kept with its objects for grouping. */
export interface MemberDelta {
  readonly src: DeltaEnd;
  readonly dst: DeltaEnd;
  readonly ports: PortSet;
  /** Which side's policies changed the pair: group ingress changes by destination, egress by source. */
  readonly anchor: 'dst' | 'src';
  readonly attribution: readonly Attribution[];
}

/** A workload endpoint or an IP range endpoint as a delta end. */
export function endOf(e: Endpoint): DeltaEnd {
  return e.kind === 'workload' ? { id: e.id, workload: e.workload } : { id: e.id, ips: e.range.set };
}
