import ipaddr from 'ipaddr.js';

/**
 * Addresses of both families live on one number line so that one sorted interval list can hold a set of
 * IPv4 and IPv6 addresses: IPv4 is [0, 2^32), IPv6 is [2^32, 2^32 + 2^128). Bigint, since IPv6 needs 128 bits.
 */
const V4_SIZE = 1n << 32n;
const V6_SIZE = 1n << 128n;
const V6_BASE = V4_SIZE;
const V4_MAX = V4_SIZE - 1n;
const V6_MAX = V6_BASE + V6_SIZE - 1n;

/** An inclusive interval of the unified address line. */
export type IpInterval = readonly [bigint, bigint];

export type IpFamily = 'IPv4' | 'IPv6';

/** A parsed CIDR: its interval and canonical text (host bits cleared). */
export interface ParsedCidr {
  readonly text: string;
  readonly family: IpFamily;
  readonly interval: IpInterval;
  /** True when the input had host bits set (Kubernetes accepts it; we warn). */
  readonly hadHostBits: boolean;
}

/** Parse "10.0.0.0/8", "2001:db8::/32" or a bare address (as /32 or /128). Throws with a clear message. */
export function parseCidr(input: string): ParsedCidr {
  const s = input.trim();
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let bits: number;
  try {
    if (s.includes('/')) {
      // ipaddr.parseCIDR tries IPv6 first; most CIDRs are IPv4, and parsing is a measurable cost at scale.
      [addr, bits] = s.includes(':') ? ipaddr.IPv6.parseCIDR(s) : ipaddr.IPv4.parseCIDR(s);
    } else {
      addr = ipaddr.parse(s);
      bits = addr.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    throw new Error(`invalid CIDR "${input}"`);
  }
  const family: IpFamily = addr.kind() === 'ipv4' ? 'IPv4' : 'IPv6';
  const width = family === 'IPv4' ? 32 : 128;
  const base = family === 'IPv4' ? 0n : V6_BASE;
  const value = bytesToBigint(addr.toByteArray());
  const hostBits = BigInt(width - bits);
  const start = (value >> hostBits) << hostBits;
  const end = start + (1n << hostBits) - 1n;
  const canonicalAddr = bigintToAddress(start, family);
  return {
    text: `${canonicalAddr}/${bits}`,
    family,
    interval: [base + start, base + end],
    hadHostBits: start !== value,
  };
}

function bytesToBigint(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function bigintToAddress(v: bigint, family: IpFamily): string {
  if (family === 'IPv4') {
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  }
  const parts: number[] = [];
  for (let i = 7; i >= 0; i--) parts.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  return ipv6Text(parts);
}

/**
 * An IPv6 address from its eight 16-bit groups, as ipaddr.js's toString writes it (RFC 5952): lowercase hex
 * groups without leading zeros, the longest run of two or more zero groups (the first of equal ones) as `::`.
 * Written here: every IP range's CIDRs are formatted when a matrix is built, and going through ipaddr.js
 * (bytes, an object, a regular expression per address) was most of that time.
 */
export function ipv6Text(parts: readonly number[]): string {
  let bestAt = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (parts[i] !== 0) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < 8 && parts[j] === 0) j++;
    if (j - i > bestLength) {
      bestAt = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => {
    let out = '';
    for (let i = from; i < to; i++) out += i === from ? parts[i]!.toString(16) : `:${parts[i]!.toString(16)}`;
    return out;
  };
  return bestAt < 0 ? hex(0, 8) : `${hex(0, bestAt)}::${hex(bestAt + bestLength, 8)}`;
}

/**
 * A set of IP addresses (IPv4 and IPv6) as sorted, disjoint, non-adjacent inclusive intervals. Immutable.
 */
export class IpSet {
  static readonly empty = new IpSet([]);
  static readonly allV4 = new IpSet([[0n, V4_MAX]]);
  static readonly allV6 = new IpSet([[V6_BASE, V6_MAX]]);
  static readonly all = new IpSet([[0n, V6_MAX]]);

  /** key(), computed once: sets are shared by many peers (sharedPeer, IpSet.fromIpBlock's memo). */
  private keyText: string | undefined;
  /** toString's text, kept: a diff names the same address atoms on every run (sets are immutable). */
  private cidrText: string | undefined;

  private constructor(readonly intervals: readonly IpInterval[]) {}

  static fromCidr(cidr: string): IpSet {
    return memo(`c|${cidr}`, () => new IpSet([parseCidr(cidr).interval]));
  }

  static fromIntervals(intervals: readonly IpInterval[]): IpSet {
    return new IpSet(normalize(intervals));
  }

  /** The union of many sets at once: one sort instead of one per pairwise union. */
  static unionAll(sets: readonly IpSet[]): IpSet {
    if (sets.length === 0) return IpSet.empty;
    if (sets.length === 1) return sets[0]!;
    return new IpSet(normalize(sets.flatMap((x) => x.intervals)));
  }

  /** cidr minus every except: the addresses an ipBlock peer matches. */
  static fromIpBlock(cidr: string, except: readonly string[]): IpSet {
    return memo(`b|${cidr}|${except.join(',')}`, () => {
      let s = IpSet.fromCidr(cidr);
      for (const e of except) s = s.subtract(IpSet.fromCidr(e));
      return s;
    });
  }

  /** Is this one address (a point of the unified line) in the set? Binary search. */
  containsPoint(point: bigint): boolean {
    let lo = 0;
    let hi = this.intervals.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = this.intervals[mid]!;
      if (point < a) hi = mid - 1;
      else if (point > b) lo = mid + 1;
      else return true;
    }
    return false;
  }

  isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  union(o: IpSet): IpSet {
    if (o.isEmpty()) return this;
    if (this.isEmpty()) return o;
    return new IpSet(normalize([...this.intervals, ...o.intervals]));
  }

  intersect(o: IpSet): IpSet {
    const out: [bigint, bigint][] = [];
    let i = 0;
    let j = 0;
    const a = this.intervals;
    const b = o.intervals;
    while (i < a.length && j < b.length) {
      const [a0, a1] = a[i]!;
      const [b0, b1] = b[j]!;
      const lo = a0 > b0 ? a0 : b0;
      const hi = a1 < b1 ? a1 : b1;
      if (lo <= hi) out.push([lo, hi]);
      if (a1 < b1) i++;
      else j++;
    }
    return new IpSet(out);
  }

  subtract(o: IpSet): IpSet {
    if (this.isEmpty() || o.isEmpty()) return this;
    const out: [bigint, bigint][] = [];
    for (const [a0, a1] of this.intervals) {
      let lo = a0;
      for (const [b0, b1] of o.intervals) {
        if (b1 < lo) continue;
        if (b0 > a1) break;
        if (b0 > lo) out.push([lo, b0 - 1n]);
        lo = b1 + 1n > lo ? b1 + 1n : lo;
        if (lo > a1) break;
      }
      if (lo <= a1) out.push([lo, a1]);
    }
    return new IpSet(out);
  }

  contains(o: IpSet): boolean {
    return o.subtract(this).isEmpty();
  }

  overlaps(o: IpSet): boolean {
    return !this.intersect(o).isEmpty();
  }

  equals(o: IpSet): boolean {
    return this.key() === o.key();
  }

  key(): string {
    return (this.keyText ??= this.intervals.map(([a, b]) => `${a.toString(36)}-${b.toString(36)}`).join(','));
  }

  /** Does the set cover a whole address family (0.0.0.0/0 or ::/0)? */
  coversFamily(family: IpFamily): boolean {
    // Intervals are sorted, disjoint and non-adjacent: a family is covered iff one interval spans it, which
    // can only be the first (IPv4 starts the line) or the last (IPv6 ends it). Asked of every compiled rule:
    // no set is built (contains would subtract).
    const ivs = this.intervals;
    if (ivs.length === 0) return false;
    if (family === 'IPv4') return ivs[0]![0] === 0n && ivs[0]![1] >= V4_MAX;
    const last = ivs[ivs.length - 1]!;
    return last[0] <= V6_BASE && last[1] >= V6_MAX;
  }

  /** The fewest CIDRs whose union is the set, IPv4 first, in address order. */
  toCidrs(): string[] {
    const out: string[] = [];
    for (const [a, b] of this.intervals) {
      // Split at the family boundary: one interval may span both after a union.
      if (a <= V4_MAX && b > V4_MAX) {
        pushCidrs(out, a, V4_MAX);
        pushCidrs(out, V6_BASE, b);
      } else pushCidrs(out, a, b);
    }
    return out;
  }

  toString(): string {
    return (this.cidrText ??= this.toCidrs().join(','));
  }
}

/**
 * IpSets are immutable, and real clusters repeat the same few hundred blocks across thousands of policies:
 * parse each once. Bounded, so a long-running app does not grow without limit.
 */
const MEMO_LIMIT = 50_000;
const memoTable = new Map<string, IpSet>();
function memo(key: string, make: () => IpSet): IpSet {
  let hit = memoTable.get(key);
  if (!hit) {
    if (memoTable.size >= MEMO_LIMIT) memoTable.clear();
    hit = make();
    memoTable.set(key, hit);
  }
  return hit;
}

function pushCidrs(out: string[], start: bigint, end: bigint): void {
  const family: IpFamily = start <= V4_MAX ? 'IPv4' : 'IPv6';
  const base = family === 'IPv4' ? 0n : V6_BASE;
  const width = family === 'IPv4' ? 32 : 128;
  let s = start - base;
  const e = end - base;
  while (s <= e) {
    // Largest block aligned at s that fits within [s, e].
    let size = 0;
    while (size < width) {
      const next = 1n << BigInt(size + 1);
      if (s % next !== 0n || s + next - 1n > e) break;
      size++;
    }
    out.push(`${bigintToAddress(s, family)}/${width - size}`);
    s += 1n << BigInt(size);
  }
}

function normalize(intervals: readonly IpInterval[]): IpInterval[] {
  const sorted = [...intervals].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [a, b] of sorted) {
    if (a > b) continue;
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1n) {
      if (b > last[1]) last[1] = b;
    } else out.push([a, b]);
  }
  return out;
}

/** Private and special-purpose ranges that are not "the internet" (RFC 1918, CGNAT, loopback, link-local, ULA). */
export const NON_PUBLIC = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
].reduce((s, c) => s.union(IpSet.fromCidr(c)), IpSet.empty);
