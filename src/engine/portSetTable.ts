import { PortSet } from './portSet.js';

/**
 * Interns PortSets as small integers so that matrix cells are 4 bytes and the few distinct unions and
 * intersections a cluster produces are computed once. Id 0 is the empty set, id 1 every port.
 */
export class PortSetTable {
  static readonly EMPTY = 0;
  static readonly ALL = 1;

  private readonly sets: PortSet[] = [PortSet.empty, PortSet.all];
  private readonly ids = new Map<string, number>([
    [PortSet.empty.key(), 0],
    [PortSet.all.key(), 1],
  ]);
  private readonly unions = new Map<number, number>();
  private readonly intersections = new Map<number, number>();
  private readonly largeUnions = new Map<number, number>();
  private readonly largeIntersections = new Map<number, number>();
  private readonly differences = new Map<number, number>();

  id(s: PortSet): number {
    if (s.isEmpty()) return PortSetTable.EMPTY;
    if (s.isAll()) return PortSetTable.ALL;
    const key = s.key();
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(s);
      this.ids.set(key, id);
    }
    return id;
  }

  get(id: number): PortSet {
    return this.sets[id]!;
  }

  union(a: number, b: number): number {
    if (a === b || b === PortSetTable.EMPTY || a === PortSetTable.ALL) return a;
    if (a === PortSetTable.EMPTY || b === PortSetTable.ALL) return b;
    const key = pairKey(a, b);
    const cache = key < SMALL_KEYS ? this.unions : this.largeUnions;
    let r = cache.get(key);
    if (r === undefined) {
      r = this.id(this.get(a).union(this.get(b)));
      cache.set(key, r);
    }
    return r;
  }

  intersect(a: number, b: number): number {
    if (a === b || b === PortSetTable.ALL || a === PortSetTable.EMPTY) return a;
    if (a === PortSetTable.ALL || b === PortSetTable.EMPTY) return b;
    const key = pairKey(a, b);
    const cache = key < SMALL_KEYS ? this.intersections : this.largeIntersections;
    let r = cache.get(key);
    if (r === undefined) {
      r = this.id(this.get(a).intersect(this.get(b)));
      cache.set(key, r);
    }
    return r;
  }

  /** a minus b (not commutative: memoised on the ordered pair). */
  subtract(a: number, b: number): number {
    if (a === PortSetTable.EMPTY || b === PortSetTable.EMPTY) return a;
    if (a === b || b === PortSetTable.ALL) return PortSetTable.EMPTY;
    const key = a * 67108864 + b;
    let r = this.differences.get(key);
    if (r === undefined) {
      r = this.id(this.get(a).subtract(this.get(b)));
      this.differences.set(key, r);
    }
    return r;
  }

}

/**
 * One key per unordered pair (union and intersection commute, so each pair is computed once). The hot loops
 * call these millions of times at scale: no closure per call, and keys of the first 2^15 ids are small
 * integers (Smis), which Maps hash without allocating; larger ids get keys of their own range.
 */
const SMALL_KEYS = 2 ** 30;
function pairKey(a: number, b: number): number {
  const lo = a < b ? a : b;
  const hi = a < b ? b : a;
  return hi < 32768 ? lo * 32768 + hi : SMALL_KEYS + lo * 67108864 + hi;
}
