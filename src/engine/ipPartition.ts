import { IpSet, type IpInterval } from './ipSet.js';

/** A peer of the matrix outside the cluster: a set of addresses that every policy treats alike. */
export interface IpRange {
  /** The set's CIDR list joined by commas, e.g. `0.0.0.0/5,8.0.0.0/7` — its id in every output. */
  readonly id: string;
  readonly cidrs: readonly string[];
  readonly set: IpSet;
}

const FAMILY_SPLIT = 1n << 32n;
const END = (1n << 32n) + (1n << 128n);

/**
 * The coarsest partition of the whole address space (IPv4 and IPv6) such that every given set is a union of
 * parts: two addresses share a part iff they belong to exactly the same sets. Parts need not be contiguous
 * (`0.0.0.0/0 except 10.0.0.0/8` is one part). A sweep over the sets' interval ends, with each set's
 * membership folded into a 64-bit Zobrist signature, so the cost is O(E log E) for E interval ends rather
 * than (parts x sets).
 */
export function partitionAddressSpace(sets: readonly IpSet[]): IpRange[] {
  const unique = dedupe(sets);
  const events = new Map<bigint, number[]>();
  const addEvent = (at: bigint, k: number) => {
    const list = events.get(at);
    if (list) list.push(k);
    else events.set(at, [k]);
  };
  unique.forEach((s, k) => {
    for (const [a, b] of s.intervals) {
      addEvent(a, k);
      addEvent(b + 1n, k);
    }
  });
  addEvent(0n, -1);
  addEvent(FAMILY_SPLIT, -1);
  const points = [...events.keys()].filter((p) => p < END).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const [zHi, zLo] = zobristKeys(unique.length);
  let hi = 0;
  let lo = 0;
  const parts = new Map<string, IpInterval[]>();
  for (let i = 0; i < points.length; i++) {
    const at = points[i]!;
    for (const k of events.get(at)!) {
      if (k < 0) continue;
      hi ^= zHi[k]!;
      lo ^= zLo[k]!;
    }
    const next = points[i + 1] ?? END;
    const sig = `${hi}:${lo}`;
    const list = parts.get(sig);
    const iv: IpInterval = [at, next - 1n];
    if (list) list.push(iv);
    else parts.set(sig, [iv]);
  }
  return [...parts.values()].map((ivs) => {
    const set = IpSet.fromIntervals(ivs);
    const cidrs = set.toCidrs();
    return { id: cidrs.join(','), cidrs, set };
  });
}

function dedupe(sets: readonly IpSet[]): IpSet[] {
  // The same set object comes once per peer sharing it (compile.ts sharedPeer): looked at once.
  const objects = new Set<IpSet>();
  const seen = new Map<string, IpSet>();
  for (const s of sets) {
    if (objects.has(s)) continue;
    objects.add(s);
    if (!s.isEmpty()) seen.set(s.key(), s);
  }
  return [...seen.values()];
}

/** Deterministic pseudo-random 32-bit keys (mulberry32), so that outputs never depend on the run. */
function zobristKeys(n: number): [number[], number[]] {
  let state = 0x9e3779b9;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    a.push(next());
    b.push(next());
  }
  return [a, b];
}
