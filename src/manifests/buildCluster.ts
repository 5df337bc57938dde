// The main entry of the manifests layer: files -> Cluster. Semantics are Kubernetes': namespace labels,
// policy defaulting and validation, controller ownership. Anything not modelled is listed in `skipped`
// with a reason, never dropped silently; anything the API server would reject is an error diagnostic.
import type { Cluster, Diagnostic, LoadOptions, ManifestFile } from './model.js';
import { parseFile } from './parseFile.js';
import { summarizeSkipped, type SkippedSummary } from './summarize.js';
import { fileModel, type FileModel } from './fileModel.js';
import type { Assembly, BuildInput, SkippedPart } from './clusterAssembly.js';
import { partOf, skippedPart } from './clusterAssembly.js';
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
 * and every command from the same parsed files (parse cache hits keep their documents), and then the cluster
 * built before is the answer. Base and head alternate, so two are kept. Clusters are read-only.
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

function sameModels(a: readonly FileModel[], b: readonly FileModel[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function buildCluster(files: ManifestFile[], opts: LoadOptions = {}): Cluster {
  const defaultNamespace = opts.defaultNamespace ?? 'default';
  const texts = new Map<string, string>();
  for (const file of files) texts.set(file.path, file.text);

  // 1. Files -> documents -> objects (lists flattened). The same documents (a parse cache hit) at the same
  // path give the same objects and sources.
  const models: FileModel[] = [];
  const parseDiagnostics: (readonly Diagnostic[])[] = [];
  const documentCounts: number[] = [];
  // The recent builds' models at the same position are tried first (no lookup: files mostly come in the
  // same order), then the memo by documents.
  const hints = reuseClusters ? recentClusters.map((r) => r.models) : [];
  for (let j = 0; j < files.length; j++) {
    const file = files[j]!;
    const parsed = parseFile(file);
    documentCounts.push(parsed.documentCount);
    parseDiagnostics.push(parsed.diagnostics);
    let model: FileModel | undefined;
    for (const h of hints) {
      const m = h[j];
      if (m !== undefined && m.documents === parsed.documents && m.path === file.path && m.defaultNamespace === defaultNamespace) {
        model = m;
        break;
      }
    }
    models.push(model ?? fileModel(parsed.documents, file.path, defaultNamespace, texts));
  }
  const optionsKey = JSON.stringify([opts.ingressController ?? null, opts.assumedNamespaces ?? null]);
  if (reuseClusters) {
    const at = recentClusters.findIndex((r) => r.optionsKey === optionsKey && sameModels(r.models, models));
    if (at >= 0) {
      const [again] = recentClusters.splice(at, 1);
      recentClusters.unshift(again!);
      return again!.cluster;
    }
  }
  const input: BuildInput = { files, opts, texts, models, parseDiagnostics, documentCounts, optionsKey };
  let assembly: Assembly | undefined;
  if (reuseClusters) {
    const prior = closestPrior(input, recentClusters);
    if (prior) assembly = deriveCluster(prior, input);
    if (assembly) clusterBuilds.derived++;
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
