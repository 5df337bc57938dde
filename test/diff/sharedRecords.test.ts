// Pairing two versions of a record list by identity first, then by id: the same answers as keying every
// record by id, whatever the edits (records kept, re-created, dropped, added, moved, lists shuffled).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignRecords, noteCopiedRuns, pairById, partnerInA, walkRecords, type CopiedRun } from '../../src/diff/sharedRecords.js';

interface Rec {
  readonly id: string;
}

/** A base list and a head list derived from it by edits; ids unique on each side. */
const listsArb = fc
  .record({
    n: fc.integer({ min: 0, max: 120 }),
    ops: fc.array(fc.constantFrom('keep', 'keep', 'keep', 'keep', 'recreate', 'drop', 'insert'), { maxLength: 140 }),
    moves: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 3 }),
    shuffle: fc.boolean(),
  })
  .map(({ n, ops, moves, shuffle }) => {
    const base: Rec[] = Array.from({ length: n }, (_, k) => ({ id: `r${k}` }));
    const head: Rec[] = [];
    let fresh = 0;
    let k = 0;
    for (const op of ops) {
      if (op === 'insert') head.push({ id: `new${fresh++}` });
      else if (k < base.length) {
        const r = base[k++]!;
        if (op === 'keep') head.push(r);
        else if (op === 'recreate') head.push({ id: r.id });
      }
    }
    while (k < base.length) head.push(base[k++]!);
    for (const [from, len, to] of moves) {
      if (head.length === 0) break;
      const block = head.splice(from % head.length, 1 + (len % 20));
      head.splice(to % (head.length + 1), 0, ...block);
    }
    if (shuffle) head.reverse();
    return { base, head };
  });

describe('pairById', () => {
  it('pairs every record as a map by id would', () => {
    fc.assert(
      fc.property(listsArb, ({ base, head }) => {
        const p = pairById(base, head);
        const baseById = new Map(base.map((r) => [r.id, r]));
        const headById = new Map(head.map((r) => [r.id, r]));
        head.forEach((h, j) => {
          expect(partnerInA(p, base, head, j)).toBe(baseById.get(h.id));
          const k = p.matchInA[j]!;
          if (k >= 0) expect(base[k]).toBe(h);
        });
        expect(p.onlyB.filter((h) => !p.onlyAById.has(h.id))).toEqual(head.filter((h) => !baseById.has(h.id)));
        expect(p.onlyA.filter((b) => !p.onlyBById.has(b.id))).toEqual(base.filter((b) => !headById.has(b.id)));
        p.onlyA.forEach((r, k) => expect(base[p.onlyAIndex[k]!]).toBe(r));
        p.onlyB.forEach((r, k) => expect(head[p.onlyBIndex[k]!]).toBe(r));
        // Every record is matched or listed, once.
        expect(p.onlyB.length + [...p.matchInA].filter((k) => k >= 0).length).toBe(head.length);
        expect(new Set(p.onlyA).size).toBe(p.onlyA.length);
        expect(p.onlyA.length + [...p.matchInA].filter((k) => k >= 0).length).toBe(base.length);
      }),
      { numRuns: 500 },
    );
  });

  it('matches the shared records of lists that differ in a few places', () => {
    const base: Rec[] = Array.from({ length: 10_000 }, (_, k) => ({ id: `r${k}` }));
    const head = [...base];
    head.splice(5000, 40, ...Array.from({ length: 30 }, (_, k) => ({ id: `r${5000 + k}` })));
    head.splice(100, 0, { id: 'new' });
    const a = alignRecords(base, head);
    expect(a.onlyA.length).toBe(40);
    expect(a.onlyB.length).toBe(31);
  });
});

describe('alignRecords of a list noted as runs of other lists', () => {
  // A derived build's lists are runs of its prior's lists between new records (noteCopiedRuns): aligned by
  // the runs, the answer must be the walk's, which matches every shared record of such lists.
  const runsArb = fc.record({
    n: fc.integer({ min: 0, max: 80 }),
    parts: fc.array(fc.tuple(fc.constantFrom('copy', 'skip', 'new'), fc.integer({ min: 0, max: 9 })), { maxLength: 30 }),
    tail: fc.boolean(),
  });
  it('gives the walk answer, and the walk for lists it was not made from', () => {
    fc.assert(
      fc.property(runsArb, ({ n, parts, tail }) => {
        const base: Rec[] = Array.from({ length: n }, (_, k) => ({ id: `r${k}` }));
        const runs: CopiedRun[] = [];
        const head: Rec[] = [];
        let at = 0;
        for (const [op, len] of parts) {
          if (op === 'new') {
            const fresh = Array.from({ length: len }, (_, k) => ({ id: `r${at + k}` }));
            if (len > 0) runs.push({ from: fresh, a: 0, b: len });
            head.push(...fresh);
          } else {
            const b = Math.min(base.length, at + len);
            if (op === 'copy' && b > at) {
              runs.push({ from: base, a: at, b });
              head.push(...base.slice(at, b));
            }
            at = b;
          }
        }
        if (tail && at < base.length) {
          runs.push({ from: base, a: at, b: base.length });
          head.push(...base.slice(at));
        }
        noteCopiedRuns(head, base, runs);
        expect(alignRecords(base, head)).toStrictEqual(walkRecords(base, head));
        const other = [...base];
        expect(alignRecords(other, head)).toStrictEqual(walkRecords(other, head));
        expect(alignRecords(head, head)).toStrictEqual(walkRecords(head, head));
      }),
      { numRuns: 500 },
    );
  });

  it('walks when the runs do not make up the list', () => {
    const base: Rec[] = Array.from({ length: 50 }, (_, k) => ({ id: `r${k}` }));
    const head = base.slice(10);
    // Noted wrongly: runs shorter than the list, and runs out of order.
    noteCopiedRuns(head, base, [{ from: base, a: 10, b: 20 }]);
    expect(alignRecords(base, head)).toStrictEqual(walkRecords(base, head));
    const swapped = [...base.slice(25), ...base.slice(0, 25)];
    noteCopiedRuns(swapped, base, [
      { from: base, a: 25, b: 50 },
      { from: base, a: 0, b: 25 },
    ]);
    expect(alignRecords(base, swapped)).toStrictEqual(walkRecords(base, swapped));
  });
});
