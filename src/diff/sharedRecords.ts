/**
 * How two lists of records line up by identity. The loader shares the records of unchanged documents between
 * builds, so the two sides of a change mostly hold the same objects in the same order, and only the records of
 * changed files (all of a changed file's records are new objects) differ. Walking both lists comparing
 * references reads no record: at 75,000 policies, keying every record by id (a read of each record and of its
 * id string, scattered over the heap) was most of the cost of finding what changed.
 */
export interface Alignment<T> {
  /** For each record of `b`, the index in `a` of the same object when they were matched, else -1. */
  readonly matchInA: Int32Array;
  /** The records of `a` not matched, in order, and their indexes in `a`. */
  readonly onlyA: readonly T[];
  readonly onlyAIndex: readonly number[];
  /** The records of `b` not matched, in order, and their indexes in `b`. */
  readonly onlyB: readonly T[];
  readonly onlyBIndex: readonly number[];
}

/**
 * Matches each record of `b` with the same object in `a`, in order (a common subsequence, not necessarily the
 * longest: after a difference the walk resumes at the nearest common record found in growing windows). Every
 * matched pair is one object; every other record is listed as unmatched, so a record that moved far may be
 * listed on both sides. Callers that key the unmatched records by id get what keying every record by id
 * gives, provided ids are unique within each list (the loader rejects duplicates). When the lists are too
 * different for the walk to pay, nothing is matched.
 */
export function alignRecords<T extends object>(a: readonly T[], b: readonly T[]): Alignment<T> {
  if (a === b) return { matchInA: Int32Array.from({ length: b.length }, (_, k) => k), onlyA: [], onlyAIndex: [], onlyB: [], onlyBIndex: [] };
  const noted = copiedRuns.get(b);
  if (noted !== undefined && noted.prior === a) {
    const aligned = alignByRuns(a, b, noted.runs);
    if (aligned) {
      alignments.byRuns++;
      return aligned;
    }
  }
  return walkRecords(a, b);
}

/** How many alignments followed a derived list's runs (tests check that path runs). */
export const alignments = { byRuns: 0 };

/** A block of a list a derived build made: the range [a, b) of the list `from`. */
export interface CopiedRun {
  readonly from: readonly object[];
  readonly a: number;
  readonly b: number;
}

/** What each derived list was made of (see noteCopiedRuns): only a list's own maker notes it. */
const copiedRuns = new WeakMap<readonly object[], { readonly prior: readonly object[]; readonly runs: readonly CopiedRun[] }>();

/**
 * Notes that `list` is the concatenation of `runs`, each a block of the list `prior` or of a list of new
 * records (none of them in `prior`: a derived build's records of its changed files). Aligning `list` with
 * `prior` then costs what the runs do, not a walk of every record: a derived head copies ~125,000 records of
 * its base at the huge bench tier, and the matrix and the diff each align both its lists with the base's.
 */
export function noteCopiedRuns(list: readonly object[], prior: readonly object[], runs: readonly CopiedRun[]): void {
  copiedRuns.set(list, { prior, runs });
}

/**
 * The alignment of `b`, made of `runs`, with `a`, the prior its runs were noted against: the records of the
 * runs of `a` matched in place, the others unmatched. This is the walk's answer (the walk matches every
 * shared record of lists whose shared records are in the same order), without reading a record. Undefined
 * (walk instead) unless the runs of `a` are in increasing order and the runs make up `b`.
 */
function alignByRuns<T extends object>(a: readonly T[], b: readonly T[], runs: readonly CopiedRun[]): Alignment<T> | undefined {
  const matchInA = new Int32Array(b.length).fill(-1);
  const onlyA: T[] = [];
  const onlyB: T[] = [];
  const onlyAIndex: number[] = [];
  const onlyBIndex: number[] = [];
  let i = 0;
  let j = 0;
  for (const run of runs) {
    const from = run.from as readonly T[];
    if (run.b - run.a > b.length - j) return undefined;
    if (from === a) {
      if (run.a < i || run.b > a.length) return undefined;
      for (; i < run.a; i++) {
        onlyA.push(a[i]!);
        onlyAIndex.push(i);
      }
      for (let k = run.a; k < run.b; k++) matchInA[j++] = k;
      i = run.b;
    } else {
      for (let k = run.a; k < run.b; k++) {
        onlyB.push(from[k]!);
        onlyBIndex.push(j++);
      }
    }
  }
  if (j !== b.length) return undefined;
  for (; i < a.length; i++) {
    onlyA.push(a[i]!);
    onlyAIndex.push(i);
  }
  return { matchInA, onlyA, onlyAIndex, onlyB, onlyBIndex };
}

/** alignRecords by walking both lists (see there). */
export function walkRecords<T extends object>(a: readonly T[], b: readonly T[]): Alignment<T> {
  const matchInA = new Int32Array(b.length).fill(-1);
  const onlyA: T[] = [];
  const onlyB: T[] = [];
  const onlyAIndex: number[] = [];
  const onlyBIndex: number[] = [];
  const unmatchedA = (k: number) => {
    onlyA.push(a[k]!);
    onlyAIndex.push(k);
  };
  const unmatchedB = (k: number) => {
    onlyB.push(b[k]!);
    onlyBIndex.push(k);
  };
  // Work spent resynchronising, bounded so that unrelated or shuffled lists cost O(length).
  let budget = 8 * (a.length + b.length) + 1024;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      matchInA[j] = i;
      i++;
      j++;
      continue;
    }
    // The nearest pair (i + x, j + y), smallest x + y, with a[i + x] === b[j + y], in windows of growing size.
    let x = -1;
    let y = -1;
    for (let w = 8; ; w *= 4) {
      const wa = Math.min(w, a.length - i);
      const wb = Math.min(w, b.length - j);
      budget -= wa + wb;
      if (budget < 0) {
        return { matchInA: new Int32Array(b.length).fill(-1), onlyA: [...a], onlyAIndex: a.map((_, k) => k), onlyB: [...b], onlyBIndex: b.map((_, k) => k) };
      }
      const inB = new Map<T, number>();
      for (let k = wb - 1; k >= 0; k--) inB.set(b[j + k]!, k);
      for (let k = 0; k < wa && (x < 0 || k < x + y); k++) {
        const at = inB.get(a[i + k]!);
        if (at !== undefined && (x < 0 || k + at < x + y)) {
          x = k;
          y = at;
        }
      }
      if (x >= 0 || (wa === a.length - i && wb === b.length - j)) break;
    }
    if (x < 0) break; // nothing further in common
    for (let k = 0; k < x; k++) unmatchedA(i + k);
    for (let k = 0; k < y; k++) unmatchedB(j + k);
    i += x;
    j += y;
  }
  for (; i < a.length; i++) unmatchedA(i);
  for (; j < b.length; j++) unmatchedB(j);
  return { matchInA, onlyA, onlyAIndex, onlyB, onlyBIndex };
}

/** Two lists of records with unique ids, paired by id through their alignment. */
export interface IdPairing<T> extends Alignment<T> {
  /** The unmatched records of `a` and of `b` by id. */
  readonly onlyAById: ReadonlyMap<string, T>;
  readonly onlyBById: ReadonlyMap<string, T>;
}

export function pairById<T extends { readonly id: string }>(a: readonly T[], b: readonly T[]): IdPairing<T> {
  const alignment = alignRecords(a, b);
  const byId = (records: readonly T[]) => {
    const m = new Map<string, T>();
    for (const r of records) m.set(r.id, r);
    return m;
  };
  return { ...alignment, onlyAById: byId(alignment.onlyA), onlyBById: byId(alignment.onlyB) };
}

/** The record of `a` with the id of `b[j]` (the same object when it was matched), if any. */
export function partnerInA<T extends { readonly id: string }>(p: IdPairing<T>, a: readonly T[], b: readonly T[], j: number): T | undefined {
  const k = p.matchInA[j]!;
  return k >= 0 ? a[k] : p.onlyAById.get(b[j]!.id);
}
