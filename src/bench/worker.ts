// One benchmark process (started by run.ts, one per measurement, so every cold number is a cold process):
//   worker <tierDir> ours   parse cache cold: parse both refs, build models, matrices, diff; then warm
//                           pull requests (parse cache holding the base); prints one JSON line.
//   worker <tierDir> floor  the bare parse floor: js-yaml loadAll of every file of both refs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { diffMatrices } from '../diff/diffMatrices.js';
import { computeMatrix } from '../engine/matrix.js';
import { buildCluster } from '../manifests/buildCluster.js';
import type { ManifestFile } from '../manifests/model.js';
import { contentKey } from '../manifests/parseCache.js';
import { defaultParseCache, parseFile } from '../manifests/parseFile.js';

export interface PhaseTimes {
  parse: number;
  model: number;
  matrix: number;
  diff: number;
  total: number;
}

export interface OursResult {
  readonly mode: 'ours';
  readonly files: number;
  readonly bytes: number;
  readonly documents: number;
  readonly sniffed: number;
  readonly hashMs: number;
  readonly cold: PhaseTimes;
  /** Medians over the warm repetitions. */
  readonly warm: PhaseTimes;
  readonly warmRuns: number[];
  readonly cacheHitsCold: number;
  readonly rssColdBytes: number;
  readonly rssPeakBytes: number;
  readonly heapUsedBytes: number;
  readonly workloads: number;
  readonly policies: number;
  readonly skipped: number;
  readonly classes?: number;
  readonly ipRanges?: number;
  readonly opened?: number;
  readonly closed?: number;
  readonly lines?: number;
  /** Why the matrix was not computed (its dense rows would not fit), if so. */
  readonly matrixSkipped?: string;
}

export interface FloorResult {
  readonly mode: 'floor';
  readonly bytes: number;
  /** loadAll of the base ref only, and of both refs. */
  readonly oneRefMs: number;
  readonly bothRefsMs: number;
}

function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...walk(dir, p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

export function readTree(dir: string): ManifestFile[] {
  return walk(dir).map((path) => ({ path, text: readFileSync(join(dir, path), 'utf8') }));
}

/** The base files with a pull request's files replacing (or added to) them. */
export function applyPr(base: readonly ManifestFile[], pr: readonly ManifestFile[]): ManifestFile[] {
  const byPath = new Map(pr.map((f) => [f.path, f]));
  const out = base.map((f) => byPath.get(f.path) ?? f);
  const have = new Set(base.map((f) => f.path));
  for (const f of pr) if (!have.has(f.path)) out.push(f);
  return out;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const now = (): number => performance.now();

/** Dense rows: 2 directions x classes x (classes + ranges) x 4 bytes; past this the matrix is not tried. */

function runOurs(dir: string, warmReps: number, force: boolean): OursResult {
  const base = readTree(join(dir, 'base'));
  const head1 = applyPr(base, readTree(join(dir, 'pr-1')));
  const pr2 = readTree(join(dir, 'pr-2'));
  const bytes = [...base, ...head1].reduce((a, f) => a + Buffer.byteLength(f.text), 0);
  const cache = defaultParseCache()!;

  // Cold: a fresh process with an empty parse cache.
  const t0 = now();
  let documents = 0;
  let sniffed = 0;
  for (const f of [...base, ...head1]) {
    const r = parseFile(f);
    documents += r.documentCount;
    sniffed += r.documents.filter((d) => d.sniffed).length;
  }
  const t1 = now();
  const cb = buildCluster(base);
  const ch = buildCluster(head1);
  const t2 = now();
  // NetworkPolicy rows are sparse now (src/engine/sparseRow.ts): the matrix is always computed. --force is
  // kept for scripts that pass it.
  void force;
  let matrixSkipped: string | undefined;
  let extra: Partial<OursResult> = {};
  let t3 = t2;
  let t4 = t2;
  {
    const mb = computeMatrix(cb);
    const mh = computeMatrix(ch);
    t3 = now();
    const d = diffMatrices(mb, mh);
    t4 = now();
    extra = {
      classes: new Set(cb.workloads.map((w) => mb.classOf(w))).size,
      ipRanges: mb.ipRanges.length,
      opened: d.opened.length,
      closed: d.closed.length,
      lines: d.lines.length,
    };
  }
  const cold: PhaseTimes = { parse: t1 - t0, model: t2 - t1, matrix: t3 - t2, diff: t4 - t3, total: t4 - t0 };
  const cacheHitsCold = cache.hits;
  const rssColdBytes = process.resourceUsage().maxRSS * 1024;

  const th = now();
  for (const f of [...base, ...head1]) contentKey(f.text);
  const hashMs = now() - th;

  // Warm: another pull request on the same base; its 5 files are new to the cache, the rest are hits. Each
  // repetition is a new pull request: its files' texts differ from every earlier one's (a comment line), so
  // no cache of files, clusters or matrices can answer it from an earlier repetition.
  const warm: PhaseTimes[] = [];
  for (let i = 0; i < warmReps && !matrixSkipped; i++) {
    const prFiles = pr2.map((f) => ({ path: f.path, text: `${f.text}${f.text.endsWith('\n') ? '' : '\n'}# warm pull request ${i}\n` }));
    const head2 = applyPr(base, prFiles);
    const w0 = now();
    for (const f of prFiles) parseFile(f);
    const w1 = now();
    const b = buildCluster(base);
    const h = buildCluster(head2);
    const w2 = now();
    const mb = computeMatrix(b);
    const mh = computeMatrix(h);
    const w3 = now();
    diffMatrices(mb, mh);
    const w4 = now();
    warm.push({ parse: w1 - w0, model: w2 - w1, matrix: w3 - w2, diff: w4 - w3, total: w4 - w0 });
  }
  const med = (k: keyof PhaseTimes): number => median(warm.map((w) => w[k]));
  return {
    mode: 'ours',
    files: base.length + head1.length,
    bytes,
    documents,
    sniffed,
    hashMs,
    cold,
    warm: { parse: med('parse'), model: med('model'), matrix: med('matrix'), diff: med('diff'), total: med('total') },
    warmRuns: warm.map((w) => w.total),
    cacheHitsCold,
    rssColdBytes,
    rssPeakBytes: process.resourceUsage().maxRSS * 1024,
    heapUsedBytes: process.memoryUsage().heapUsed,
    workloads: cb.workloads.length,
    policies: cb.policies.length,
    skipped: cb.skipped.length,
    ...extra,
    ...(matrixSkipped ? { matrixSkipped } : {}),
  };
}

function runFloor(dir: string): FloorResult {
  const base = readTree(join(dir, 'base'));
  const head = applyPr(base, readTree(join(dir, 'pr-1')));
  const bytes = [...base, ...head].reduce((a, f) => a + Buffer.byteLength(f.text), 0);
  const t0 = now();
  for (const f of base) yaml.loadAll(f.text);
  const t1 = now();
  for (const f of head) yaml.loadAll(f.text);
  const t2 = now();
  return { mode: 'floor', bytes, oneRefMs: t1 - t0, bothRefsMs: t2 - t0 };
}

const [dir, mode, ...rest] = process.argv.slice(2);
if (!dir || (mode !== 'ours' && mode !== 'floor')) {
  process.stderr.write('usage: worker <tierDir> ours|floor [--warm N] [--force]\n');
  process.exit(2);
}
const warmAt = rest.indexOf('--warm');
const warmReps = warmAt >= 0 ? Number(rest[warmAt + 1]) : 5;
const result = mode === 'ours' ? runOurs(dir, warmReps, rest.includes('--force')) : runFloor(dir);
process.stdout.write(JSON.stringify(result) + '\n');
