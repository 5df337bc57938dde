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
    return this.memo(this.unions, a, b, () => this.get(a).union(this.get(b)));
  }

  intersect(a: number, b: number): number {
    if (a === b || b === PortSetTable.ALL || a === PortSetTable.EMPTY) return a;
    if (a === PortSetTable.ALL || b === PortSetTable.EMPTY) return b;
    return this.memo(this.intersections, a, b, () => this.get(a).intersect(this.get(b)));
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

  private memo(cache: Map<number, number>, a: number, b: number, compute: () => PortSet): number {
    // Both operations commute: order the pair so each is computed once. Ids stay far below 2^26.
    const key = a < b ? a * 67108864 + b : b * 67108864 + a;
    let r = cache.get(key);
    if (r === undefined) {
      r = this.id(compute());
      cache.set(key, r);
    }
    return r;
  }
}
