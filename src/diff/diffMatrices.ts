import { classesInNamespace, portIds, workloadClasses, type PortIds, type ReachabilityMatrix } from '../engine/matrix.js';
import type { PortSet } from '../engine/portSet.js';
import { PortSetTable } from '../engine/portSetTable.js';
import type { Diagnostic, Workload } from '../manifests/model.js';
import { createAttributor, type PairEnd } from './attribute.js';
import { AtomEnd, type DeltaEnd, type JointNode, type MemberDelta } from './deltaTypes.js';
import { dirtyNodes } from './dirtyNodes.js';
import { seedDisplayNames } from './displayName.js';
import { groupLines } from './groupLines.js';
import { ipAtoms } from './ipAtoms.js';
import { isolationFlips, isolationLines, type IsolationFlips, type WorkloadPair } from './isolationLines.js';
import { mergeAtoms } from './mergeAtoms.js';
import { objectChanges } from './objectChanges.js';
import { byPair, pairDeltaMaker } from './pairDelta.js';
import { PeersMemo } from './peersMemo.js';
import { pairById, partnerInA } from './sharedRecords.js';
import { summarizeCluster } from './sideSummary.js';
import type { Attribution, DiffLine, ReachabilityDiff, Risk } from './types.js';
import { connectionsOf, workloadLine } from './workloadLine.js';

export interface DiffOptions {
  readonly baseRef?: string;
  readonly headRef?: string;
  /**
   * Compare every pair, not only those a change can touch, and ask the matrices for every anchor's peers
   * (for tests that check these shortcuts).
   */
  readonly exhaustive?: boolean;
}

/** A changed pair of joint nodes, before expansion to workloads. */
interface JointDelta {
  readonly s: JointNode;
  readonly d: JointNode;
  /** Their positions in the list of joint nodes. */
  readonly i: number;
  readonly j: number;
  readonly opened: PortSet;
  readonly closed: PortSet;
  /** Which side's policies changed the pair: group ingress changes by destination, egress by source. */
  readonly anchor: 'dst' | 'src';
  readonly attribution: readonly Attribution[];
}

/** At most this many pair answers are kept for the "is anything else allowed" question (see Bounds). */
const BOUND_CELLS = 1 << 22;

const RISK_RANK: Record<Risk, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
const DIRECTION_RANK: Record<DiffLine['direction'], number> = { opened: 0, added: 1, closed: 2, isolation: 3, removed: 4 };

/**
 * What a change does to reachability: per-pair opened/closed ports, and grouped, attributed, ranked lines.
 * Workloads are matched by id; IP ranges are compared as address sets (the common refinement of both
 * partitions). Workloads both sides treat alike are compared once.
 */
export function diffMatrices(base: ReachabilityMatrix, head: ReachabilityMatrix, opts: DiffOptions = {}): ReachabilityDiff {
  // Workloads by id (ids are unique on each side), matching the records both sides share first.
  const paired = pairById(base.workloads, head.workloads);
  const changes = objectChanges(base.cluster, head.cluster, paired);
  const attributor = createAttributor(base, head, changes);

  const added = paired.onlyB.filter((w) => !paired.onlyAById.has(w.id));
  const removed = paired.onlyA.filter((w) => !paired.onlyBById.has(w.id));

  seedDisplayNames(base.cluster, head.cluster, paired.onlyA, paired.onlyB);

  // Joint nodes, keyed by (base class, head class); class indexes stay far below 2^26. Workload joint nodes
  // come first, numbered in order of their first member (head order), then the address atoms. A huge cluster
  // has tens of thousands of them and a pull request touches a few: a workload node is kept as numbers (its
  // classes, and its members as a chain of head positions) and its record built only when a delta or a
  // dirty row reaches it (nodeAt).
  const onlyAAt = new Map<string, number>(paired.onlyA.map((w, k) => [w.id, paired.onlyAIndex[k]!]));
  const baseClasses = workloadClasses(base);
  const headClasses = workloadClasses(head);
  const nh = head.workloads.length;
  const joints = newJoints(nh);
  const { nextMember, baseAtOf, firstMember, jointBase, jointHead } = joints;
  // With class positions: the first joint node of each head class, and its others (a head class split
  // across base classes).
  let firstOfHead: Int32Array | undefined;
  const splitOfHead = new Map<number, number[]>();
  if (baseClasses && headClasses) {
    firstOfHead = jointsByClass(joints, paired.matchInA, baseClasses, headClasses, splitOfHead, (j) => onlyAAt.get(head.workloads[j]!.id) ?? -1);
  } else {
    const jointByKey = new Map<number, { readonly at: number; readonly baseAt: number }[]>();
    head.workloads.forEach((h, j) => {
      const b = partnerInA(paired, base.workloads, head.workloads, j);
      if (!b) return;
      const matched = paired.matchInA[j]!;
      const baseAt = matched >= 0 ? matched : onlyAAt.get(h.id)!;
      const key = base.classOf(b) * 67108864 + head.classOf(h);
      const pair = { at: j, baseAt };
      const list = jointByKey.get(key);
      if (list) list.push(pair);
      else jointByKey.set(key, [pair]);
    });
    for (const members of jointByKey.values()) {
      const g = joints.wc;
      const rep = members[0]!;
      jointBase[g] = base.nodeOf(base.endpoints[rep.baseAt]!);
      jointHead[g] = head.nodeOf(head.endpoints[rep.at]!);
      for (const m of members) join(joints, g, m.at, m.baseAt);
    }
  }
  const wc = joints.wc;
  type Member = WorkloadPair & { readonly at: number; readonly baseAt: number };
  const membersOf = (g: number): Member[] => {
    const out: Member[] = [];
    for (let j = firstMember[g]!; j >= 0; j = nextMember[j]!) {
      const baseAt = baseAtOf[j]!;
      out.push({ base: base.workloads[baseAt]!, head: head.workloads[j]!, at: j, baseAt });
    }
    return out;
  };
  const atoms = ipAtoms(base.ipRanges, head.ipRanges);
  // A matrix's endpoints and nodes list its IP ranges last, in order: an atom's follow from its ranges'
  // positions (no lookup by a range's id, which is its list of CIDRs).
  const rangeEnds = (m: ReachabilityMatrix) => {
    const endAt = m.workloads.length;
    return { endAt, nodeAt: m.ipRanges.length > 0 ? m.nodeOf(m.endpoints[endAt]!) : 0 };
  };
  const baseRanges = rangeEnds(base);
  const headRanges = rangeEnds(head);
  const atomNodes: JointNode[] = atoms.map((atom) => ({
    kind: 'ips',
    set: atom.set,
    b: base.endpoints[baseRanges.endAt + atom.baseAt]!,
    h: head.endpoints[headRanges.endAt + atom.headAt]!,
  }));
  const builtNodes: (JointNode & { kind: 'workloads' })[] = [];
  const builtMembers: Member[][] = [];
  const workloadMembers = (g: number): Member[] => (builtMembers[g] ??= membersOf(g));
  const nodeAt = (i: number): JointNode => {
    if (i >= wc) return atomNodes[i - wc]!;
    let n = builtNodes[i];
    if (!n) {
      const members = workloadMembers(i);
      const rep = members[0]!;
      builtNodes[i] = n = { kind: 'workloads', members, b: base.endpoints[rep.baseAt]!, h: head.endpoints[rep.at]! };
    }
    return n;
  };

  // An address atom lies inside one range of each side: any of its addresses stands for it (see PairEnd).
  // The ends of the last source and of the last destination compared, on both sides: a dirty row keeps its
  // source and a column its destination, so each changed pair makes at most one new end (an atom's serves
  // both sides).
  const srcEnds = new NodeEnds();
  const dstEnds = new NodeEnds();

  // Only pairs a change can touch are compared: a pair whose destination's ingress policies, source's
  // egress policies, and both ends' labels are unchanged has the same answer on both sides, whatever the
  // IP partition (rules are evaluated per address). Admin tiers are cluster-wide: any change there, or
  // opts.exhaustive, compares every pair.
  const dirty = dirtyNodes(
    wc,
    (g) => base.workloads[baseAtOf[firstMember[g]!]!]!,
    (g) => head.workloads[firstMember[g]!]!,
    base,
    head,
    changes,
    opts.exhaustive === true,
    (namespaces) => {
      if (!firstOfHead) return undefined;
      const out: number[] = [];
      for (const ns of namespaces) {
        const classes = classesInNamespace(head, ns);
        if (!classes) return undefined;
        for (const c of classes) {
          const g = c < firstOfHead.length ? firstOfHead[c]! : -1;
          if (g >= 0) out.push(g);
          for (const other of splitOfHead.get(c) ?? []) out.push(other);
        }
      }
      return out;
    },
  );
  const jointDeltas: JointDelta[] = [];
  // Per joint node, by position: its node index on both sides (no endpoint or map lookups in the loops
  // below), whether it is an address atom, and how dirty it is as a source and as a destination (0 clean,
  // 1 only through its own egress / ingress policies, 2 for every reason; see dirtyNodes).
  const count = wc + atoms.length;
  const bi = new Int32Array(count);
  const hi = new Int32Array(count);
  const isIps = new Uint8Array(count);
  const srcState = new Uint8Array(count);
  const dstState = new Uint8Array(count);
  bi.set(jointBase.subarray(0, wc));
  hi.set(jointHead.subarray(0, wc));
  srcState.set(dirty.src);
  dstState.set(dirty.dst);
  atoms.forEach((atom, k) => {
    bi[wc + k] = baseRanges.nodeAt + atom.baseAt;
    hi[wc + k] = headRanges.nodeAt + atom.headAt;
    isIps[wc + k] = 1;
  });
  // The dirty rows and columns by position (address atoms are never dirty: see dirtyNodes).
  const dirtySrc = positionsOf(srcState, undefined, wc);
  const dirtyDst = positionsOf(dstState, undefined, wc);
  // What each side allows (or an upper bound of it: one direction's ports) on every pair of a dirty row or
  // column, kept from the comparison below when there are few: a grouped line asks whether anything else is
  // allowed those ports to or from its anchor ("still allowed: ..."), and when nothing is, that is known
  // without a scan of every node of the matrix (matrix.peersOf). Kept as port-set ids of each side's table
  // plus one (0, as allocated: no answer kept, an address atom to an address atom).
  interface Bounds {
    readonly b: Uint32Array;
    readonly h: Uint32Array;
  }
  const rowBounds = new Map<number, Bounds>();
  const colBounds = new Map<number, Bounds>();
  const dirtyLines = dirtySrc.length + dirtyDst.length;
  if (opts.exhaustive !== true && dirtyLines * count <= BOUND_CELLS) {
    const cells = boundCells(2 * dirtyLines * count);
    let at = 0;
    const line = (): Bounds => ({ b: cells.subarray(at, (at += count)), h: cells.subarray(at, (at += count)) });
    for (const i of dirtySrc) rowBounds.set(i, line());
    for (const i of dirtyDst) colBounds.set(i, line());
  }
  // Only dirty rows and columns have bounds (a map lookup only for those).
  const rowAt = (i: number): Bounds | undefined => (srcState[i] !== 0 ? rowBounds.get(i) : undefined);
  const colAt = (j: number): Bounds | undefined => (dstState[j] !== 0 ? colBounds.get(j) : undefined);
  const bound = (i: number, j: number, b: number, h: number): void => {
    const row = rowAt(i);
    if (row) {
      row.b[j] = b + 1;
      row.h[j] = h + 1;
    }
    const col = colAt(j);
    if (col) {
      col.b[i] = b + 1;
      col.h[i] = h + 1;
    }
  };
  // Cells are read as interned port-set ids: equal ids are equal sets when both sides share a table (a head
  // that borrows the base's rows does), else the sets are compared.
  const B = idsOf(base);
  const H = idsOf(head);
  const tb = B.table;
  const th = H.table;
  const sharedTable = tb === th;
  const same = (b: number, h: number): boolean => (sharedTable ? b === h : tb.get(b).equals(th.get(h)));
  // Allowed = egress ∩ ingress. A row of a dirty source reads the source's own row (as one array per side),
  // a column of a dirty destination the destination's: the other direction is read only where that one
  // allows something on either side (in a default-deny cluster, few cells), sparing a read of a row of every
  // other node. `fb` / `fh`: the ids of that first direction, base and head.
  const compare = (i: number, j: number, egressFirst: boolean, fb: number, fh: number): void => {
    if (isIps[i] === 1 && isIps[j] === 1) return;
    if (fb === PortSetTable.EMPTY && fh === PortSetTable.EMPTY) return bound(i, j, fb, fh);
    const sb = bi[i]!;
    const db = bi[j]!;
    const sh = hi[i]!;
    const dh = hi[j]!;
    const eb = egressFirst ? fb : B.egress(sb, db);
    const eh = egressFirst ? fh : H.egress(sh, dh);
    const ib = egressFirst ? B.ingress(sb, db) : fb;
    const ih = egressFirst ? H.ingress(sh, dh) : fh;
    const ab = tb.intersect(eb, ib);
    const ah = th.intersect(eh, ih);
    bound(i, j, ab, ah);
    if (same(ab, ah)) return;
    const bp = tb.get(ab);
    const hp = th.get(ah);
    const s = nodeAt(i);
    const d = nodeAt(j);
    let anchor: 'dst' | 'src' = 'dst';
    if (s.kind === 'ips') anchor = 'dst';
    else if (d.kind === 'ips') anchor = 'src';
    else anchor = !same(eb, eh) && same(ib, ih) ? 'src' : 'dst';
    srcEnds.of(s);
    dstEnds.of(d);
    const attribution = attributor.attribute({ matrix: base, src: srcEnds.b!, dst: dstEnds.b! }, { matrix: head, src: srcEnds.h!, dst: dstEnds.h! });
    // Many pairs change alike (a new block opens one port to thousands of atoms): differences of ids are
    // memoised by a shared table.
    const opened = sharedTable ? th.get(th.subtract(ah, ab)) : hp.subtract(bp);
    const closed = sharedTable ? tb.get(tb.subtract(ab, ah)) : bp.subtract(hp);
    jointDeltas.push({ s, d, i, j, opened, closed, anchor, attribution });
  };
  // A pair where only one end's own policies changed (the source's egress, or the destination's ingress) and
  // the other end is clean differs only if that direction does: that direction is compared first, and the
  // allowed ports only when it differs. Dirty lines are workload nodes; each is read once per side, and
  // compared in one pass (columns against the clean rows only: dirty rows cover their own cells).
  for (const i of dirtySrc) {
    const ss = srcState[i]!;
    const hit = (j: number, b: number, h: number): void => compare(i, j, true, b, h);
    scanLine(count, B.egressLine(bi[i]!), H.egressLine(hi[i]!), bi, hi, undefined, dstState, ss === 2, rowBounds.get(i), tb, th, hit);
  }
  for (const j of dirtyDst) {
    const hit = (i: number, b: number, h: number): void => compare(i, j, false, b, h);
    scanLine(count, B.ingressLine(bi[j]!), H.ingressLine(hi[j]!), bi, hi, srcState, undefined, dstState[j] === 2, colBounds.get(j), tb, th, hit);
  }
  // In row order, then column order (as a row-by-row pass gives them).
  jointDeltas.sort((x, y) => x.i - y.i || x.j - y.j);

  // Expand to members (each joint node's ends built once).
  const openedMembers: MemberDelta[] = [];
  const closedMembers: MemberDelta[] = [];
  const expanded = new Map<JointNode, DeltaEnd[]>();
  // The joint node of each head workload that is the end of a delta.
  const jointOf = new Map<Workload, number>();
  const expand = (n: JointNode, at: number): DeltaEnd[] => {
    let ends = expanded.get(n);
    if (!ends) {
      ends = n.kind === 'ips' ? [new AtomEnd(n.set)] : n.members.map((m) => ({ id: m.head.id, workload: m.head }));
      expanded.set(n, ends);
      if (n.kind === 'workloads') for (const m of n.members) jointOf.set(m.head, at);
    }
    return ends;
  };
  expandDeltas(jointDeltas, expand, openedMembers, closedMembers);

  // Is anything but the delta's peers allowed `ports` to (anchor 'src') or from (anchor 'dst') a workload on one
  // side? False only when no pair of its row or column allows them: checked on the answers kept from the
  // comparison (asking the matrix only where a kept bound allows them), plus the nodes no joint node stands
  // for (workloads of that side only, IP ranges no atom covers). True when unsure.
  const sideOnly = new Map<ReachabilityMatrix, number[]>();
  const nodesOfSideOnly = (m: ReachabilityMatrix): number[] => {
    let out = sideOnly.get(m);
    if (!out) {
      // Ranges by position (see rangeEnds): no set of range records, no lookups by id.
      const covered = new Uint8Array(m.ipRanges.length);
      for (const a of atoms) covered[m === head ? a.headAt : a.baseAt] = 1;
      const firstRange = (m === head ? headRanges : baseRanges).nodeAt;
      out = (m === head ? added : removed).map((w) => {
        const e = m.endpoint(w.id);
        return e ? m.nodeOf(e) : -1;
      });
      for (let k = 0; k < covered.length; k++) if (covered[k] === 0) out.push(firstRange + k);
      sideOnly.set(m, out);
    }
    return out;
  };
  const mayHavePeers = (m: ReachabilityMatrix, w: Workload, anchorSide: 'dst' | 'src', ports: PortSet): boolean => {
    const k = jointOf.get(w);
    const bounds = k === undefined ? undefined : (anchorSide === 'src' ? rowBounds : colBounds).get(k);
    if (k === undefined || !bounds || (m !== base && m !== head)) return true;
    const kept = m === head ? bounds.h : bounds.b;
    const table = m === head ? th : tb;
    const nodeIndex = m === head ? hi : bi;
    const a = nodeIndex[k]!;
    const covers = new Map<PortSet, boolean>();
    const allows = (p: PortSet): boolean => {
      let c = covers.get(p);
      if (c === undefined) {
        c = p.contains(ports);
        covers.set(p, c);
      }
      return c;
    };
    const exactly = (node: number): boolean => allows(anchorSide === 'src' ? m.allowedAt(a, node) : m.allowedAt(node, a));
    if (keptMayAllow(kept, table, nodeIndex, allows, exactly)) return true;
    const others = nodesOfSideOnly(m);
    for (let x = 0; x < others.length; x++) {
      const node = others[x]!;
      if (node < 0 || exactly(node)) return true;
    }
    return false;
  };

  // A workload that becomes isolated gets one line saying what still reaches it, not one line per lost peer.
  // Likewise a workload that loses isolation gets one line, with what used to be the only allowed traffic.
  // Only dirty workloads can change isolation: the policies selecting a clean one are the same on both sides.
  const dirtyGroups = positionsOf(srcState, dstState, wc).map(workloadMembers);
  const flips = isolationFlips(base, head, dirtyGroups);
  const newlyIsolated = flips.gained;
  const lostIsolation = flips.lost;
  // In head order, as the lines were made before.
  const flipped = flips.flipped.sort((x, y) => x.at - y.at);
  const absorbedBy = (flips: IsolationFlips) => (d: MemberDelta) =>
    d.anchor === 'dst' ? flips.ingress.has(d.dst.id) : flips.egress.has(d.src.id);
  // peersOf answers shared by the grouped, workload and isolation lines.
  const peers = new PeersMemo();
  // Every connection of an added or removed workload: for its line and for the pair lists.
  const addedConnections = added.map((w) => connectionsOf(head, w, peers));
  const removedConnections = removed.map((w) => connectionsOf(base, w, peers));
  const closedMerged = mergeAtoms(closedMembers);
  const openedMerged = mergeAtoms(openedMembers);
  // The pairs of an added (removed) workload's line are its opened (closed) pairs: made once, for both.
  const toPair = pairDeltaMaker();
  const addedLines = added.map((w, k) => workloadLine('added', w, head, peers, addedConnections[k], toPair));
  const removedLines = removed.map((w, k) => workloadLine('removed', w, base, peers, removedConnections[k], toPair));
  const lines: DiffLine[] = [
    ...groupLines('opened', openedMerged.filter((d) => !absorbedBy(lostIsolation)(d)), base, head, peers, mayHavePeers),
    ...groupLines('closed', closedMerged.filter((d) => !absorbedBy(newlyIsolated)(d)), base, head, peers, mayHavePeers),
    ...addedLines,
    ...removedLines,
    ...isolationLines(
      base,
      head,
      flipped,
      changes.policies.map((c) => c.id),
      [...closedMerged.filter(absorbedBy(newlyIsolated)), ...openedMerged.filter(absorbedBy(lostIsolation))],
      peers,
    ),
  ].sort(
    (a, b) =>
      RISK_RANK[a.risk] - RISK_RANK[b.risk] ||
      DIRECTION_RANK[a.direction] - DIRECTION_RANK[b.direction] ||
      (a.text < b.text ? -1 : a.text > b.text ? 1 : 0),
  );

  // (Each line's pairs are in order already: the sort meets long sorted runs.)
  const opened = [...openedMerged.map((d) => toPair(d)), ...addedLines.flatMap((l) => l.pairs)].sort(byPair);
  const closed = [...closedMerged.map((d) => toPair(d)), ...removedLines.flatMap((l) => l.pairs)].sort(byPair);

  return {
    base: summarizeCluster(base.cluster, opts.baseRef),
    head: summarizeCluster(head.cluster, opts.headRef),
    opened,
    closed,
    lines,
    diagnostics: mergeDiagnostics(base.cluster.diagnostics, head.cluster.diagnostics),
  };
}

/** A joint node's ends on both sides (see PairEnd), made for the last node asked. */
class NodeEnds {
  node: JointNode | undefined;
  b: PairEnd | undefined;
  h: PairEnd | undefined;

  of(n: JointNode): void {
    if (n === this.node) return;
    this.node = n;
    if (n.kind === 'ips') this.b = this.h = { ips: n.set, point: n.set.intervals[0]![0] };
    else {
      this.b = { workload: n.members[0]!.base };
      this.h = { workload: n.members[0]!.head };
    }
  }
}

/**
 * Workload joint nodes under construction. Per head position: the next member of its joint node (-1: the
 * last), and its base partner's position. Per joint node: its first and last member's head positions, and
 * its node index on both sides. `wc`: how many there are.
 */
interface Joints {
  wc: number;
  readonly nextMember: Int32Array;
  readonly baseAtOf: Int32Array;
  readonly firstMember: Int32Array;
  readonly lastMember: Int32Array;
  readonly jointBase: Int32Array;
  readonly jointHead: Int32Array;
}

function newJoints(nh: number): Joints {
  return {
    wc: 0,
    nextMember: new Int32Array(nh).fill(-1),
    baseAtOf: new Int32Array(nh).fill(-1),
    firstMember: new Int32Array(nh),
    lastMember: new Int32Array(nh),
    jointBase: new Int32Array(nh),
    jointHead: new Int32Array(nh),
  };
}

/** Head position j (base partner at baseAt) joins joint node g (a new one when g is the next number). */
function join(t: Joints, g: number, j: number, baseAt: number): void {
  t.baseAtOf[j] = baseAt;
  if (g === t.wc) {
    t.wc++;
    t.firstMember[g] = j;
  } else t.nextMember[t.lastMember[g]!] = j;
  t.lastMember[g] = j;
}

/**
 * The joint nodes of workloads by their class positions, in order of their first member (head order). A
 * head class nearly always pairs with one base class: the joint node of each head class by index (returned),
 * and in `splitOfHead` the others of a head class split across base classes. `unmatchedBaseAt`: the base
 * position of a head workload's partner when the alignment did not match it (-1: none). (A function of its
 * own, not a closure of diffMatrices: it stays optimised from one diff to the next.)
 */
function jointsByClass(
  t: Joints,
  matchInA: Int32Array,
  baseClasses: Int32Array,
  headClasses: Int32Array,
  splitOfHead: Map<number, number[]>,
  unmatchedBaseAt: (j: number) => number,
): Int32Array {
  const nh = t.nextMember.length;
  let headCount = 0;
  for (let j = 0; j < headClasses.length; j++) headCount = Math.max(headCount, headClasses[j]! + 1);
  const firstOfHead = new Int32Array(headCount).fill(-1);
  let split: Map<number, number> | undefined;
  for (let j = 0; j < nh; j++) {
    let baseAt = matchInA[j]!;
    if (baseAt < 0) {
      baseAt = unmatchedBaseAt(j);
      if (baseAt < 0) continue;
    }
    const bc = baseClasses[baseAt]!;
    const hc = headClasses[j]!;
    let g = firstOfHead[hc]!;
    if (g < 0) {
      g = firstOfHead[hc] = t.wc;
      t.jointBase[g] = bc;
      t.jointHead[g] = hc;
    } else if (t.jointBase[g] !== bc) {
      const key = bc * 67108864 + hc;
      split ??= new Map();
      const other = split.get(key);
      if (other === undefined) {
        split.set(key, (g = t.wc));
        t.jointBase[g] = bc;
        t.jointHead[g] = hc;
        splitOfHead.set(hc, [...(splitOfHead.get(hc) ?? []), g]);
      } else g = other;
    }
    join(t, g, j, baseAt);
  }
  return firstOfHead;
}

/**
 * One dirty row or column of the comparison: for each node k (but those `skip` marks), the first direction's
 * ids of both sides (`lb` / `lh`, read at k's node index on each side), kept as a bound when `kept` is given,
 * and `hit` called where the pair must be compared: every pair `force` marks, and, when `all`, every pair
 * either side allows anything in that direction (a pair that allows nothing allows nothing either way), else
 * where the direction differs. (A function of its own, not a closure of diffMatrices: it stays optimised
 * from one diff to the next, where the big function is compiled again on every call.)
 */
function scanLine(
  count: number,
  lb: ArrayLike<number>,
  lh: ArrayLike<number>,
  ib: Int32Array,
  ih: Int32Array,
  skip: Uint8Array | undefined,
  force: Uint8Array | undefined,
  all: boolean,
  kept: { readonly b: Uint32Array; readonly h: Uint32Array } | undefined,
  tb: PortSetTable,
  th: PortSetTable,
  hit: (k: number, b: number, h: number) => void,
): void {
  const shared = tb === th;
  const EMPTY = PortSetTable.EMPTY;
  for (let k = 0; k < count; k++) {
    if (skip !== undefined && skip[k] !== 0) continue;
    const b = lb[ib[k]!]!;
    const h = lh[ih[k]!]!;
    // (A compared pair's bound is written again by the comparison: the allowed ports.)
    if (kept !== undefined) {
      kept.b[k] = b + 1;
      kept.h[k] = h + 1;
    }
    if (force !== undefined && force[k] !== 0) hit(k, b, h);
    else if (all ? b !== EMPTY || h !== EMPTY : shared ? b !== h : !tb.get(b).equals(th.get(h))) hit(k, b, h);
  }
}

/** Scratch memory for the bounds of one diff, kept for the next one while it is small. */
let scratchCells = new Uint32Array(0);
const SCRATCH_KEPT = 1 << 21;

/**
 * `n` zeroed cells for the bounds of one diff (they are read only while it runs). A new pull request at the
 * huge tier keeps ~12 lines of 54,000 cells: allocated anew each time, 2.6 MB of array buffers zeroed and
 * then collected; the same buffer zeroed again is cheaper.
 */
function boundCells(n: number): Uint32Array {
  if (n > scratchCells.length) {
    const cells = new Uint32Array(n);
    if (n <= SCRATCH_KEPT) scratchCells = cells;
    return cells;
  }
  const cells = scratchCells.subarray(0, n);
  cells.fill(0);
  return cells;
}

/**
 * The positions below `n` where `a` (or `b`) is not 0, in order. (Loops over every node are functions of
 * their own, not loops of diffMatrices: a loop that long makes V8 compile all of diffMatrices, a large
 * function, on a background thread while the diff runs, again after each deoptimisation; on two cores that
 * competes with the diff itself and the garbage collector's threads.)
 */
function positionsOf(a: Uint8Array, b: Uint8Array | undefined, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (a[i] !== 0 || (b !== undefined && b[i] !== 0)) out.push(i);
  return out;
}

/**
 * Whether a kept line (see Bounds) may allow what `allows` asks: true at a pair it kept no answer for, or
 * where its answer allows it and the exact answer (`exactly`, of the pair's node) does too.
 */
function keptMayAllow(
  kept: Uint32Array,
  table: PortSetTable,
  nodeIndex: Int32Array,
  allows: (p: PortSet) => boolean,
  exactly: (node: number) => boolean,
): boolean {
  // Most of a line holds a few ids (nothing allowed, mostly): the last one's answer is kept.
  let last = 0;
  let lastAllows = false;
  for (let x = 0; x < kept.length; x++) {
    const p = kept[x]!;
    if (p === 0) return true;
    if (p !== last) {
      last = p;
      lastAllows = allows(table.get(p - 1));
    }
    if (lastAllows && exactly(nodeIndex[x]!)) return true;
  }
  return false;
}

/** The joint deltas expanded to their members' pairs (loopbacks left out), as opened and closed deltas. */
function expandDeltas(
  deltas: readonly JointDelta[],
  expand: (n: JointNode, at: number) => DeltaEnd[],
  opened: MemberDelta[],
  closed: MemberDelta[],
): void {
  for (let k = 0; k < deltas.length; k++) {
    const jd = deltas[k]!;
    const srcs = expand(jd.s, jd.i);
    const dsts = expand(jd.d, jd.j);
    const isOpened = !jd.opened.isEmpty();
    const isClosed = !jd.closed.isEmpty();
    for (let x = 0; x < srcs.length; x++) {
      const src = srcs[x]!;
      for (let y = 0; y < dsts.length; y++) {
        const dst = dsts[y]!;
        if (src.workload?.kind === 'Pod' && src.id === dst.id) continue; // loopback (an atom's id is made only if asked)
        if (isOpened) opened.push({ src, dst, ports: jd.opened, anchor: jd.anchor, attribution: jd.attribution });
        if (isClosed) closed.push({ src, dst, ports: jd.closed, anchor: jd.anchor, attribution: jd.attribution });
      }
    }
  }
}

/**
 * A matrix's cells as port-set ids (see portIds); a matrix that is not computeMatrix's (none is, today) has
 * its answers interned in a table of its own.
 */
function idsOf(m: ReachabilityMatrix): PortIds {
  const ids = portIds(m);
  if (ids) return ids;
  const table = new PortSetTable();
  const egress = (s: number, d: number): number => table.id(m.egressAt(s, d));
  const ingress = (s: number, d: number): number => table.id(m.ingressAt(s, d));
  // Nodes: the classes, then the IP ranges.
  const classes = m.ipRanges.length > 0 ? m.nodeOf(m.endpoints[m.workloads.length]!) : m.workloads.reduce((n, w) => Math.max(n, m.classOf(w) + 1), 0);
  const n = classes + m.ipRanges.length;
  return {
    table,
    egress,
    ingress,
    egressLine: (s) => Array.from({ length: n }, (_, d) => egress(s, d)),
    ingressLine: (d) => Array.from({ length: n }, (_, s) => ingress(s, d)),
  };
}

function mergeDiagnostics(base: readonly Diagnostic[], head: readonly Diagnostic[]): Diagnostic[] {
  const inHead = new Set(head.map((d) => `${d.file}|${d.line}|${d.message}`));
  return [
    ...head,
    ...base
      .filter((d) => !inHead.has(`${d.file}|${d.line}|${d.message}`))
      .map((d) => ({ ...d, message: `at base: ${d.message}` })),
  ];
}
