import { PROTOCOLS, type Protocol } from '../manifests/model.js';

/** An inclusive port range [from, to]. */
export type PortRange = readonly [number, number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

type Ranges = readonly PortRange[];

/** The JSON form of a port set in every public contract (`matrix` and `diff` JSON). */
export type PortSetJson =
  | { readonly all: true }
  | {
      readonly ports: { readonly TCP: number[][]; readonly UDP: number[][]; readonly SCTP: number[][] };
      /** Present when protocols other than TCP/UDP/SCTP (ICMP, ...) are included. */
      readonly otherProtocols?: true;
    };

const FULL: Ranges = [[MIN_PORT, MAX_PORT]];

/** PortSet.of's sets by protocol and range; bounded, so a long-running app does not grow without limit. */
const singleRanges = new Map<number, PortSet>();
const SINGLE_RANGES_LIMIT = 50_000;

/**
 * A set of (protocol, port) pairs: sorted, merged, inclusive ranges for TCP, UDP and SCTP, plus one flag for
 * every other protocol. NetworkPolicy can only name TCP/UDP/SCTP ports, but a rule without `ports` allows
 * every protocol (ICMP included), so "all" must be more than three full ranges. Immutable.
 */
export class PortSet {
  static readonly empty = new PortSet([], [], [], false);
  static readonly all = new PortSet(FULL, FULL, FULL, true);

  private keyCache: string | undefined;

  private constructor(
    readonly TCP: Ranges,
    readonly UDP: Ranges,
    readonly SCTP: Ranges,
    /** Protocols other than TCP, UDP and SCTP. */
    readonly other: boolean,
  ) {}

  /** Ports `from`..`to` (inclusive) of one protocol; every port when from/to are omitted. */
  static of(protocol: Protocol, from?: number, to?: number): PortSet {
    const lo = Math.max(MIN_PORT, from ?? MIN_PORT);
    const hi = Math.min(MAX_PORT, from === undefined ? MAX_PORT : (to ?? from));
    if (lo > hi) return PortSet.empty;
    // One set per (protocol, range): rules and container ports repeat the same few ports everywhere, and
    // a shared set also shares its key. Not integers (`port: 80.5` is rejected before): not interned.
    const id = Number.isInteger(lo) && Number.isInteger(hi) ? (protocol === 'TCP' ? 0 : protocol === 'UDP' ? 1 : 2) * 2 ** 32 + lo * 65536 + hi : -1;
    const hit = id >= 0 ? singleRanges.get(id) : undefined;
    if (hit !== undefined) return hit;
    const r: Ranges = [[lo, hi]];
    const set = PortSet.make(protocol === 'TCP' ? r : [], protocol === 'UDP' ? r : [], protocol === 'SCTP' ? r : [], false);
    if (id >= 0) {
      if (singleRanges.size >= SINGLE_RANGES_LIMIT) singleRanges.clear();
      singleRanges.set(id, set);
    }
    return set;
  }

  static fromRanges(ranges: Partial<Record<Protocol, readonly PortRange[]>>, other = false): PortSet {
    return PortSet.make(
      normalize(ranges.TCP ?? []),
      normalize(ranges.UDP ?? []),
      normalize(ranges.SCTP ?? []),
      other,
    );
  }

  private static make(tcp: Ranges, udp: Ranges, sctp: Ranges, other: boolean): PortSet {
    if (!other && tcp.length === 0 && udp.length === 0 && sctp.length === 0) return PortSet.empty;
    if (other && isFull(tcp) && isFull(udp) && isFull(sctp)) return PortSet.all;
    return new PortSet(tcp, udp, sctp, other);
  }

  ranges(protocol: Protocol): Ranges {
    return this[protocol];
  }

  isEmpty(): boolean {
    return this === PortSet.empty;
  }

  isAll(): boolean {
    return this === PortSet.all;
  }

  union(o: PortSet): PortSet {
    if (o.isEmpty() || this.isAll()) return this;
    if (this.isEmpty() || o.isAll()) return o;
    return PortSet.make(
      unionRanges(this.TCP, o.TCP),
      unionRanges(this.UDP, o.UDP),
      unionRanges(this.SCTP, o.SCTP),
      this.other || o.other,
    );
  }

  intersect(o: PortSet): PortSet {
    if (this.isEmpty() || o.isAll()) return this;
    if (o.isEmpty() || this.isAll()) return o;
    return PortSet.make(
      intersectRanges(this.TCP, o.TCP),
      intersectRanges(this.UDP, o.UDP),
      intersectRanges(this.SCTP, o.SCTP),
      this.other && o.other,
    );
  }

  subtract(o: PortSet): PortSet {
    if (this.isEmpty() || o.isEmpty()) return this;
    if (o.isAll()) return PortSet.empty;
    return PortSet.make(
      subtractRanges(this.TCP, o.TCP),
      subtractRanges(this.UDP, o.UDP),
      subtractRanges(this.SCTP, o.SCTP),
      this.other && !o.other,
    );
  }

  /** Does the set contain this single port? */
  has(protocol: Protocol, port: number): boolean {
    return this[protocol].some(([a, b]) => port >= a && port <= b);
  }

  contains(o: PortSet): boolean {
    return o.subtract(this).isEmpty();
  }

  equals(o: PortSet): boolean {
    return this === o || this.key() === o.key();
  }

  /** A canonical string: equal sets have equal keys. */
  key(): string {
    if (this.keyCache === undefined) {
      this.keyCache = this.isAll()
        ? '*'
        : `${rangesKey(this.TCP)}|${rangesKey(this.UDP)}|${rangesKey(this.SCTP)}|${this.other ? 1 : 0}`;
    }
    return this.keyCache;
  }

  toJSON(): PortSetJson {
    if (this.isAll()) return { all: true };
    const ports = {
      TCP: this.TCP.map((r) => [r[0], r[1]]),
      UDP: this.UDP.map((r) => [r[0], r[1]]),
      SCTP: this.SCTP.map((r) => [r[0], r[1]]),
    };
    return this.other ? { ports, otherProtocols: true } : { ports };
  }

  /** Human form: "all ports", "TCP 80, 8000-8080; UDP 53", "TCP all ports", "no ports". */
  toString(): string {
    if (this.isAll()) return 'all ports';
    if (this.isEmpty()) return 'no ports';
    const parts: string[] = [];
    for (const p of PROTOCOLS) {
      const r = this[p];
      if (r.length === 0) continue;
      parts.push(`${p} ${isFull(r) ? 'all ports' : r.map(formatRange).join(', ')}`);
    }
    if (this.other) parts.push('other protocols (ICMP, ...)');
    return parts.join('; ');
  }

  /**
   * Compact form used next to a destination: "3000/TCP", "8000-8080/TCP, 53/UDP", "all ports", or, when
   * shorter, the complement: "all ports except 443/TCP".
   */
  toShortString(): string {
    if (this.isAll()) return 'all ports';
    if (this.isEmpty()) return 'no ports';
    const direct = this.listShort();
    const complement = PortSet.all.subtract(this);
    const except = complement.other ? undefined : `all ports except ${complement.listShort()}`;
    return except !== undefined && except.length < direct.length ? except : direct;
  }

  private listShort(): string {
    const parts: string[] = [];
    for (const p of PROTOCOLS) {
      const r = this[p];
      if (r.length === 0) continue;
      if (isFull(r)) parts.push(`all ${p} ports`);
      else parts.push(r.map((x) => `${formatRange(x)}/${p}`).join(', '));
    }
    if (this.other) parts.push('other protocols');
    return parts.join(', ');
  }
}

function formatRange([a, b]: PortRange): string {
  return a === b ? String(a) : `${a}-${b}`;
}

function rangesKey(r: Ranges): string {
  return r.map(formatRange).join(',');
}

function isFull(r: Ranges): boolean {
  return r.length === 1 && r[0]![0] === MIN_PORT && r[0]![1] === MAX_PORT;
}

function normalize(r: readonly PortRange[]): Ranges {
  const sorted = r
    .map(([a, b]) => [Math.max(MIN_PORT, a), Math.min(MAX_PORT, b)] as const)
    .filter(([a, b]) => a <= b)
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * Both lists are normalized (sorted, disjoint, non-adjacent, within bounds): one merge pass, coalescing
 * overlapping or adjacent ranges, gives what normalize would (without its copies and sort). The matrix
 * unions port sets per granted cell, and most unions of a cold build are new pairs.
 */
function unionRanges(a: Ranges, b: Ranges): Ranges {
  if (a.length === 0 || a === b) return b;
  if (b.length === 0) return a;
  const out: [number, number][] = [];
  let last: [number, number] | undefined;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]![0] <= b[j]![0]) ? a[i++]! : b[j++]!;
    if (last !== undefined && next[0] <= last[1] + 1) {
      if (next[1] > last[1]) last[1] = next[1];
    } else out.push((last = [next[0], next[1]]));
  }
  return out;
}

function intersectRanges(a: Ranges, b: Ranges): Ranges {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [a0, a1] = a[i]!;
    const [b0, b1] = b[j]!;
    const lo = Math.max(a0, b0);
    const hi = Math.min(a1, b1);
    if (lo <= hi) out.push([lo, hi]);
    if (a1 < b1) i++;
    else j++;
  }
  return out;
}

function subtractRanges(a: Ranges, b: Ranges): Ranges {
  if (b.length === 0 || a.length === 0) return a;
  const out: [number, number][] = [];
  for (const [a0, a1] of a) {
    let lo = a0;
    for (const [b0, b1] of b) {
      if (b1 < lo) continue;
      if (b0 > a1) break;
      if (b0 > lo) out.push([lo, b0 - 1]);
      lo = Math.max(lo, b1 + 1);
      if (lo > a1) break;
    }
    if (lo <= a1) out.push([lo, a1]);
  }
  return out;
}
