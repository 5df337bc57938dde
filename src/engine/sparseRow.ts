import { PortSetTable } from './portSetTable.js';

/**
 * What a class's NetworkPolicies allow towards (or from) every node, sparse: the ports granted to every
 * peer (rules without from/to) plus the ports granted to specific peers. Policies name few peers each, so a
 * dense row of every node per class (classes x nodes x 4 bytes, gigabytes at scale) is mostly zeros.
 */
export class SparseRow {
  /** Ports allowed with every peer. */
  all: number = PortSetTable.EMPTY;
  readonly cells = new Map<number, number>();

  constructor(private readonly table: PortSetTable) {}

  grantAll(ports: number): void {
    this.all = this.table.union(this.all, ports);
  }

  grant(node: number, ports: number): void {
    const cur = this.cells.get(node);
    this.cells.set(node, cur === undefined ? ports : this.table.union(cur, ports));
  }

  get(node: number): number {
    const cell = this.cells.get(node);
    return cell === undefined ? this.all : this.table.union(this.all, cell);
  }
}
