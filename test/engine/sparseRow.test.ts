// A row read often is written out densely (see SparseRow.get): every answer must be the sparse one, also after
// later grants, for rows evicted from the set of dense rows, and for whole lines (writeLine).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PortSet } from '../../src/engine/portSet.js';
import { PortSetTable } from '../../src/engine/portSetTable.js';
import { SparseRow } from '../../src/engine/sparseRow.js';

const N = 300;
const grantArb = fc.oneof(
  fc.record({ kind: fc.constant('all' as const), port: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('cell' as const), port: fc.integer({ min: 1, max: 6 }), node: fc.integer({ min: 0, max: N - 1 }) }),
  fc.record({
    kind: fc.constant('group' as const),
    port: fc.integer({ min: 1, max: 6 }),
    nodes: fc.uniqueArray(fc.integer({ min: 0, max: N - 1 }), { minLength: 1, maxLength: 80 }),
  }),
);

describe('SparseRow', () => {
  it('answers alike before and after it is written out densely', () => {
    fc.assert(
      fc.property(fc.array(grantArb, { maxLength: 12 }), fc.array(grantArb, { maxLength: 4 }), (grants, later) => {
        const table = new PortSetTable();
        const rows = [new SparseRow(table), new SparseRow(table)];
        // A reference answer per node: the union of every grant covering it.
        const want = new Array<PortSet>(N).fill(PortSet.of('TCP', 1, 0).intersect(PortSet.of('UDP', 1, 0)));
        const apply = (g: (typeof grants)[number]): void => {
          const ports = PortSet.of('TCP', g.port);
          const id = table.id(ports);
          for (const row of rows) {
            if (g.kind === 'all') row.grantAll(id);
            else if (g.kind === 'cell') row.grant(g.node, id);
            else row.grantGroup(Int32Array.from([...g.nodes].sort((a, b) => a - b)), id);
          }
          for (let d = 0; d < N; d++) {
            if (g.kind === 'all' || (g.kind === 'cell' && g.node === d) || (g.kind === 'group' && g.nodes.includes(d))) want[d] = want[d]!.union(ports);
          }
        };
        grants.forEach(apply);
        // Nodes past N hold only the grants to every node.
        const allOnly = grants.filter((g) => g.kind === 'all').reduce((s, g) => s.union(PortSet.of('TCP', g.port)), want[0]!.subtract(want[0]!));
        const checkAll = (row: SparseRow): void => {
          // Past the reads after which the row is written out: the same nodes asked sparse, then dense.
          const wrong: number[] = [];
          for (let pass = 0; pass < 12; pass++) {
            for (let d = 0; d < N; d++) if (table.get(row.get(d)).toString() !== want[d]!.toString()) wrong.push(d);
            if (table.get(row.get(N + 3)).toString() !== allOnly.toString()) wrong.push(N + 3);
          }
          expect(wrong).toEqual([]);
        };
        // writeLine gives every cell as get() answers it, sparse (rows[1]) or written out (rows[0], after checkAll),
        // for a line longer than the row's nodes and for a shorter one.
        const checkLine = (row: SparseRow): void => {
          for (const length of [N + 5, N >> 1]) {
            const line = row.writeLine(new Uint32Array(length).fill(12345));
            const wrong: number[] = [];
            for (let d = 0; d < length; d++) if (line[d] !== row.get(d)) wrong.push(d);
            expect(wrong).toEqual([]);
          }
        };
        checkLine(rows[1]!);
        checkAll(rows[0]!);
        checkLine(rows[0]!);
        later.forEach(apply);
        for (const row of rows) checkLine(row);
        const allLater = [...grants, ...later].filter((g) => g.kind === 'all').reduce((s, g) => s.union(PortSet.of('TCP', g.port)), want[0]!.subtract(want[0]!));
        for (const row of rows) {
          const wrong: number[] = [];
          for (let pass = 0; pass < 12; pass++) {
            for (let d = 0; d < N; d++) if (table.get(row.get(d)).toString() !== want[d]!.toString()) wrong.push(d);
            if (table.get(row.get(N + 3)).toString() !== allLater.toString()) wrong.push(N + 3);
          }
          expect(wrong).toEqual([]);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('rows pushed out of the set of dense rows still answer', () => {
    const table = new PortSetTable();
    const ports = table.id(PortSet.of('TCP', 80));
    const rows = Array.from({ length: 100 }, (_, i) => {
      const row = new SparseRow(table);
      row.grantGroup(Int32Array.from([i, i + 1, 500]), ports);
      return row;
    });
    const wrong: string[] = [];
    for (let pass = 0; pass < 3; pass++) {
      rows.forEach((row, i) => {
        for (let d = 0; d < 3000; d++) if (row.get(d) !== (d === i || d === i + 1 || d === 500 ? ports : PortSetTable.EMPTY)) wrong.push(`${i}:${d}`);
      });
    }
    expect(wrong).toEqual([]);
  });
});
