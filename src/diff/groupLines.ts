import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { PortSet } from '../engine/portSet.js';
import type { Workload } from '../manifests/model.js';
import { ingressWords, serviceWords } from '../engine/services.js';
import { dedupeAttribution } from './attributionList.js';
import type { MemberDelta } from './deltaTypes.js';
import { describeGroup } from './describeGroup.js';
import { describeIps } from './describeIps.js';
import { displayName } from './displayName.js';
import { byPair, toPairDelta } from './pairDelta.js';
import { peersAllowing } from './peersAllowing.js';
import { PeersMemo } from './peersMemo.js';
import { openedRisk, riskFlags } from './riskFlags.js';
import type { DiffLine, EndpointGroup } from './types.js';

/**
 * Opened or closed member deltas grouped into lines: deltas sharing the anchor (the destination for ingress
 * changes, the source for egress changes) and the ports become one line whose other side is described in the
 * fewest true words, with what was allowed before (or is still allowed) and the objects that caused it.
 */
export function groupLines(
  direction: 'opened' | 'closed',
  deltas: readonly MemberDelta[],
  base: ReachabilityMatrix,
  head: ReachabilityMatrix,
  memo: PeersMemo = new PeersMemo(),
  /** False when nothing is allowed `ports` with the anchor on that side (saves a scan of the matrix); true when unsure. */
  mayHavePeers: (m: ReachabilityMatrix, anchor: Workload, anchorSide: 'dst' | 'src', ports: PortSet) => boolean = () => true,
): DiffLine[] {
  const groups = new Map<string, MemberDelta[]>();
  for (const d of deltas) {
    const anchorId = d.anchor === 'dst' ? d.dst.id : d.src.id;
    const key = `${d.anchor}|${anchorId}|${d.ports.key()}`;
    const list = groups.get(key);
    if (list) list.push(d);
    else groups.set(key, [d]);
  }
  const lines: DiffLine[] = [];
  for (const members of groups.values()) {
    const first = members[0]!;
    const anchorSide = first.anchor;
    const anchor = anchorSide === 'dst' ? first.dst : first.src;
    const others = members.map((m) => (anchorSide === 'dst' ? m.src : m.dst));
    const ports = first.ports;
    // "now allowed from X (before: Y)": X and Y are every peer allowed those ports at head and at base.
    const nowSide = direction === 'opened' ? head : base;
    const thenSide = direction === 'opened' ? base : head;
    const delta = describeGroup(others, direction === 'opened' ? head.cluster : base.cluster);
    // Only its members are read (an empty group reads as no group).
    const stillOrBefore =
      anchor.workload && mayHavePeers(thenSide, anchor.workload, anchorSide, ports)
        ? peersAllowing(thenSide, anchor.workload, anchorSide, ports, memo)
        : undefined;
    const anchorName = anchor.workload
      ? displayName(anchor.workload, (direction === 'opened' ? head : base).cluster)
      : describeIps(anchor.ips!);
    const portText = ports.toShortString();
    // Reviewers think in Service ports: name the ones that land on the destination's ports.
    const anchorCluster = (direction === 'opened' ? head : base).cluster;
    const svc = anchorSide === 'dst' && anchor.workload ? serviceWords(anchorCluster.services, anchor.workload, ports) : [];
    // Traffic from the ingress controller to a destination is an Ingress's or Route's: name them.
    const controller = anchorCluster.ingressController;
    const routes =
      anchorSide === 'dst' && anchor.workload && controller && others.some((o) => o.workload?.id === controller.id)
        ? ingressWords(anchorCluster, anchor.workload, ports)
        : [];
    const notes = [...(svc.length > 0 ? [svc.join(', ')] : []), ...(routes.length > 0 ? [`behind ${routes.join(', ')}`] : [])];
    const anchorShown = notes.length > 0 ? `${anchorName} (${notes.join('; ')})` : anchorName;
    let text: string;
    if (direction === 'opened') {
      const hasBefore = stillOrBefore && stillOrBefore.members.length > 0;
      // Every peer allowed now: only asked for when something was allowed before.
      const nowAll = hasBefore && anchor.workload ? peersAllowing(nowSide, anchor.workload, anchorSide, ports, memo) : undefined;
      const from = hasBefore && nowAll ? nowAll : delta;
      const verb = anchorSide === 'dst' ? `${from.text} -> ${anchorShown}` : `${anchorName} -> ${from.text}`;
      text = `${verb} on ${portText}: now allowed${hasBefore ? ` (before: only ${stillOrBefore.text})` : ''}`;
    } else {
      const still = stillOrBefore && stillOrBefore.members.length > 0 ? ` (still allowed: ${stillOrBefore.text})` : '';
      const verb = anchorSide === 'dst' ? `${delta.text} -> ${anchorShown}` : `${anchorName} -> ${delta.text}`;
      text = `${verb} on ${portText}: now blocked${still}`;
    }
    const flags = riskFlags(anchorSide, anchor, others);
    const attribution = dedupeAttribution(members.flatMap((m) => m.attribution));
    const anchorGroup: EndpointGroup = { text: anchorName, members: [anchor.id] };
    lines.push({
      direction,
      risk: direction === 'opened' ? openedRisk(flags) : 'medium',
      flags,
      text,
      from: anchorSide === 'dst' ? delta : anchorGroup,
      to: anchorSide === 'dst' ? anchorGroup : delta,
      ports: ports.toJSON(),
      attribution,
      pairs: members.map(toPairDelta).sort(byPair),
    });
  }
  return lines;
}
