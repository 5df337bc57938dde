// Pairing two versions of a record list by identity first, then by id: the same answers as keying every
// record by id, whatever the edits (records kept, re-created, dropped, added, moved, lists shuffled).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignRecords, pairById, partnerInA } from '../../src/diff/sharedRecords.js';

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
