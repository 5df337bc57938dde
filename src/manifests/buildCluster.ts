// The main entry of the manifests layer: files -> Cluster. Semantics are Kubernetes': namespace labels,
// policy defaulting and validation, controller ownership. Anything not modelled is listed in `skipped`
// with a reason, never dropped silently; anything the API server would reject is an error diagnostic.
import type { Cluster, LoadOptions, ManifestFile } from './model.js';
import { parseFile, sniffsByDefault } from './parseFile.js';
import { summarizeSkipped, type SkippedSummary } from './summarize.js';
import { fileModel, type FileModel } from './fileModel.js';
import type { Assembly, BuildInput, SkippedPart } from './clusterAssembly.js';
import { FileTexts, partOf, skippedPart } from './clusterAssembly.js';
import { sameFiles, type FileMatch } from './fileMatch.js';
import { assembleCluster } from './assembleCluster.js';
import { closestPrior, deriveCluster } from './deriveCluster.js';

/** What the build of each cluster built here kept (see Assembly). The state shared between builds lives in this file (only the per-file memo lives with fileModel). */
const assemblies = new WeakMap<Cluster, Assembly>();

const skippedSummaries = new WeakMap<Cluster, SkippedSummary[]>();

/**
 * summarizeSkipped(cluster.skipped), from per-file summaries when the cluster was built here: a derived
 * cluster shares the unchanged files' summaries with the build it was derived from, so summarising the
 * head of a pull request reads only its changed files' skipped objects (hundreds of thousands at scale).
 */
export function skippedSummary(cluster: Cluster): SkippedSummary[] {
  const hit = skippedSummaries.get(cluster);
  if (hit) return hit;
  const a = assemblies.get(cluster);
  let out: SkippedSummary[];
  if (!a) out = summarizeSkipped(cluster.skipped);
  else {
    // Merged file by file, in order: a reason's first appearance is in the first file that has it.
    const byKind = new Map<string, { count: number; reasons: Set<string> }>();
    const merge = (part: SkippedPart): void => {
      for (const [kind, e] of part) {
        let entry = byKind.get(kind);
        if (!entry) byKind.set(kind, (entry = { count: 0, reasons: new Set() }));
        entry.count += e.count;
        for (const r of e.reasons) entry.reasons.add(r);
      }
    };
    const n = a.models.length;
    for (let i = 0; i < n; i++) if (a.skippedAt[i + 1]! > a.skippedAt[i]!) merge(partOf(a, i));
    merge(skippedPart(cluster.skipped, a.skippedAt[n]!, cluster.skipped.length));
    out = [...byKind.entries()]
      .map(([kind, e]) => ({ kind, count: e.count, reasons: [...e.reasons] }))
      .sort((x, y) => y.count - x.count || (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0));
  }
  skippedSummaries.set(cluster, out);
  return out;
}

/**
 * The last clusters built, by their inputs: the merge base of a pull request is built again on every push
 * and every command from the same files, and then the cluster built before is the answer (found by comparing
 * the files, see fileMatch.ts: no parse, no parse cache look-up). Base and head alternate, so two are kept.
 * Clusters are read-only, and may share lists with each other.
 */
const RECENT_CLUSTERS = 2;
const recentClusters: Assembly[] = [];

/**
 * For tests: false builds every cluster from scratch (no recent cluster answers, is derived from or is
 * recorded). Returns the previous setting.
 */
let reuseClusters = true;
export function setClusterReuse(on: boolean): boolean {
  const was = reuseClusters;
  reuseClusters = on;
  return was;
}

/** How many clusters were built from scratch and derived from a recent one (tests check both paths run). */
export const clusterBuilds = { full: 0, derived: 0 };

export function buildCluster(files: ManifestFile[], opts: LoadOptions = {}): Cluster {
  const defaultNamespace = opts.defaultNamespace ?? 'default';
  // Everything besides the files that the cluster depends on.
  const optionsKey = JSON.stringify([opts.ingressController ?? null, opts.assumedNamespaces ?? null, defaultNamespace, sniffsByDefault()]);
  // The same files as a recent build (paths and texts, compared without parsing): its cluster.
  if (reuseClusters) {
    const at = recentClusters.findIndex((r) => r.optionsKey === optionsKey && sameFiles(files, r));
    if (at >= 0) {
      const [again] = recentClusters.splice(at, 1);
      recentClusters.unshift(again!);
      return again!.cluster;
    }
  }
  // A copy: the caller may reuse its array, and later builds compare their files to these.
  const snapshot = files.slice();
  const match = reuseClusters ? closestPrior(snapshot, optionsKey, recentClusters) : undefined;
  let assembly: Assembly | undefined;
  let input: BuildInput;
  if (match) {
    input = derivedInput(match, snapshot, opts, optionsKey);
    assembly = deriveCluster(match, input);
    if (assembly) clusterBuilds.derived++;
  } else {
    input = fullInput(snapshot, opts, optionsKey);
  }
  if (!assembly) {
    assembly = assembleCluster(input);
    clusterBuilds.full++;
  }
  assemblies.set(assembly.cluster, assembly);
  if (reuseClusters) {
    recentClusters.unshift(assembly);
    recentClusters.length = Math.min(recentClusters.length, RECENT_CLUSTERS);
  }
  return assembly.cluster;
}

/**
 * Files -> documents -> objects for a build that a recent one matches: the files it had too take its
 * parse results and models (the same path and text give the same ones), and only the others are parsed.
 */
function derivedInput(match: FileMatch, files: readonly ManifestFile[], opts: LoadOptions, optionsKey: string): BuildInput {
  const { prior, fromPrior, changed, removed } = match;
  const defaultNamespace = opts.defaultNamespace ?? 'default';
  let texts: FileTexts;
  if (match.uniquePaths) {
    const changes = new Map<string, string | undefined>();
    for (const i of removed) changes.set(prior.files[i]!.path, undefined);
    for (const j of changed) changes.set(files[j]!.path, files[j]!.text);
    texts = prior.texts.with(changes, files);
  } else {
    texts = FileTexts.of(files);
  }
  // The prior's models in runs, then the changed files' (an array of the final size, filled once).
  const models = new Array<FileModel>(files.length);
  for (let j = 0; j < files.length; j++) {
    const i = fromPrior[j]!;
    if (i >= 0) models[j] = prior.models[i]!;
  }
  for (const j of changed) {
    const file = files[j]!;
    models[j] = fileModel(parseFile(file), file.path, defaultNamespace, texts);
  }
  return { files, opts, texts, models, optionsKey };
}

/** Files -> documents -> objects, every file parsed (parse cache hits keep their documents). */
function fullInput(files: readonly ManifestFile[], opts: LoadOptions, optionsKey: string): BuildInput {
  const defaultNamespace = opts.defaultNamespace ?? 'default';
  const texts = FileTexts.of(files);
  const models: FileModel[] = [];
  // The same documents at the same path give the same objects and sources: the recent builds' models at
  // the same position are tried first (no lookup: files mostly come in the same order), then the memo by
  // documents.
  const hints = reuseClusters ? recentClusters.map((r) => r.models) : [];
  for (let j = 0; j < files.length; j++) {
    const file = files[j]!;
    const parsed = parseFile(file);
    let model: FileModel | undefined;
    for (const h of hints) {
      const m = h[j];
      if (m !== undefined && m.documents === parsed.documents && m.path === file.path && m.defaultNamespace === defaultNamespace) {
        model = m;
        break;
      }
    }
    models.push(model ?? fileModel(parsed, file.path, defaultNamespace, texts));
  }
  return { files, opts, texts, models, optionsKey };
}
