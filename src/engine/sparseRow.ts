import { PortSetTable } from './portSetTable.js';

/** A sorted list of nodes, shared by every row granted the same large peer list. */
export type NodeGroup = Int32Array;

/** Peer lists longer than this are granted as one shared group, not cell by cell. */
export const GROUP_THRESHOLD = 32;

/**
 * What a class's NetworkPolicies allow towards (or from) every node, sparse: the ports granted to every
 * peer (rules without from/to), ports granted to a few specific peers (cells), and ports granted to large
 * shared peer lists (groups: an ipBlock like 0.0.0.0/0 except private ranges covers thousands of address
 * ranges, and writing a cell per range per selected class was gigabytes at scale).
 */
export class SparseRow {
  /** Ports allowed with every peer. */
  all: number = PortSetTable.EMPTY;
  /** Allocated on the first grant: most rows at scale hold only `all` and groups. */
  private cells: Map<number, number> | undefined;
  readonly groups: { readonly nodes: NodeGroup; ports: number }[] = [];
  /**
   * The row written out, once it is read often (a diff reads a changed row at every column): one array read
   * per cell instead of a search of every group. Nodes past its end hold only `all`.
   */
  private dense: Uint32Array | undefined;
  private reads = 0;

  constructor(private readonly table: PortSetTable) {}

  grantAll(ports: number): void {
    this.dropDense();
    this.all = this.table.union(this.all, ports);
  }

  grant(node: number, ports: number): void {
    this.dropDense();
    this.cells ??= new Map();
    const cur = this.cells.get(node);
    this.cells.set(node, cur === undefined ? ports : this.table.union(cur, ports));
  }

  grantGroup(nodes: NodeGroup, ports: number): void {
    this.dropDense();
    const same = this.groups.find((g) => g.nodes === nodes);
    if (same) same.ports = this.table.union(same.ports, ports);
    else this.groups.push({ nodes, ports });
  }

  get(node: number): number {
    const dense = this.dense;
    if (dense !== undefined) return node < dense.length ? dense[node]! : this.all;
    if (this.groups.length > 0 && ++this.reads > DENSE_AFTER_READS) {
      this.densify();
      return this.get(node);
    }
    const cell = this.cells?.get(node);
    let ports = cell === undefined ? this.all : this.table.union(this.all, cell);
    for (const g of this.groups) if (contains(g.nodes, node)) ports = this.table.union(ports, g.ports);
    return ports;
  }

  /**
   * Every cell into `out` (whose length is the number of nodes), as get() would answer each; returns `out`.
   * One pass over the cells and groups instead of a search of every group per cell.
   */
  writeLine(out: Uint32Array): Uint32Array {
    const dense = this.dense;
    if (dense !== undefined) {
      if (dense.length >= out.length) out.set(dense.subarray(0, out.length));
      else {
        out.set(dense);
        out.fill(this.all, dense.length);
      }
      return out;
    }
    out.fill(this.all);
    if (this.cells) for (const [node, ports] of this.cells) if (node < out.length) out[node] = this.table.union(this.all, ports);
    for (const g of this.groups) {
      for (const node of g.nodes) if (node < out.length) out[node] = this.table.union(out[node]!, g.ports);
    }
    return out;
  }

  private densify(): void {
    let length = 0;
    for (const g of this.groups) if (g.nodes.length > 0) length = Math.max(length, g.nodes[g.nodes.length - 1]! + 1);
    if (this.cells) for (const node of this.cells.keys()) length = Math.max(length, node + 1);
    const dense = new Uint32Array(length).fill(this.all);
    if (this.cells) for (const [node, ports] of this.cells) dense[node] = this.table.union(this.all, ports);
    for (const g of this.groups) for (const node of g.nodes) dense[node] = this.table.union(dense[node]!, g.ports);
    this.dense = dense;
    denseRows.push(new WeakRef(this));
    if (denseRows.length > MAX_DENSE_ROWS) denseRows.shift()!.deref()?.dropDense();
  }

  private dropDense(): void {
    this.dense = undefined;
    this.reads = 0;
  }
}

/** Reads of a row before it is written out; and how many rows are written out at once (the latest ones). */
const DENSE_AFTER_READS = 2048;
const MAX_DENSE_ROWS = 64;
// Weakly held: a row whose matrix is gone takes its dense copy (and its groups and table) with it.
const denseRows: WeakRef<SparseRow>[] = [];

function contains(sorted: Int32Array, node: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v < node) lo = mid + 1;
    else if (v > node) hi = mid - 1;
    else return true;
  }
  return false;
}
