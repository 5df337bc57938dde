// A derived build: the cluster of a recent build with a few files removed, added or changed (the head of a
// pull request from its base). Exactly what a full build gives, when every change is local to its files:
// the changed files (before and after) hold no namespace, admin policy, Ingress or Route, no object defined
// twice anywhere and no new duplicate, and no workload that names a controller, is named as one, or lives in
// an assumed namespace. Anything else is built from scratch.
import type { Diagnostic, ManifestFile, NamespaceInfo, NetworkPolicy, Service, SkippedObject, Workload } from './model.js';
import { WORKLOAD_KINDS } from './podTemplate.js';
import { ADMIN_KINDS, type K8sObject } from './fileModel.js';
import { keyOf } from './keyIndex.js';
import { controllerOf } from './objectReads.js';
import { classifyFile, newSink, ownWorkload, usedNamespaceOf } from './classifyObjects.js';
import { byFileAndLine, makeCluster, pathIndexOnce, undeclaredNamespace, type Assembly, type BuildInput } from './clusterAssembly.js';
import { matchFiles, type FileMatch } from './fileMatch.js';
import { noteDerivedServices } from '../engine/services.js';
import { noteCopiedRuns } from '../diff/sharedRecords.js';

/** At most this many changed files (and at most a quarter of them, or 8) are derived rather than built. */
const DERIVE_MAX_CHANGES = 512;

/** The files matched to the recent build they differ least from, if any may be derived from. */
export function closestPrior(files: readonly ManifestFile[], optionsKey: string, recentClusters: readonly Assembly[]): FileMatch | undefined {
  let best: FileMatch | undefined;
  let limit = Math.min(DERIVE_MAX_CHANGES, Math.max(8, files.length >> 2));
  for (const r of recentClusters) {
    if (!r.derivable || r.optionsKey !== optionsKey) continue;
    const match = matchFiles(files, r, limit);
    if (match !== undefined) {
      best = match;
      limit = match.changes - 1;
    }
  }
  return best;
}

/** A workload-kind object whose change is not local: it names a controller, is named as one, or is in an assumed namespace. */
function nonLocal(prior: Assembly, o: K8sObject): boolean {
  if (o.kind === 'Namespace' || ADMIN_KINDS.has(o.kind) || o.kind === 'Ingress' || o.kind === 'Route') return true;
  if (!(o.kind in WORKLOAD_KINDS)) return false;
  return controllerOf(o.obj) !== undefined || prior.ownerRefs.has(`${o.namespace}/${o.name}[${o.kind}]`) || prior.assumedNames.has(o.namespace);
}

export function deriveCluster(match: FileMatch, input: BuildInput): Assembly | undefined {
  const { files, texts, models, optionsKey } = input;
  const { prior, fromPrior, changed, removed } = match;
  const n = models.length;
  const old = prior.models;
  if (!match.uniquePaths) return undefined;
  // Unchanged files keep their order (the lists of a cluster are in file order).
  if (!inOrder(fromPrior)) return undefined;

  // The changes must be local (see above).
  const removedPaths = new Set<string>();
  const removedObjects: K8sObject[] = [];
  for (const i of removed) {
    const m = old[i]!;
    if (prior.dupPaths.has(m.path)) return undefined;
    removedPaths.add(m.path);
    for (const o of m.objects) {
      if (o === undefined) continue;
      if (nonLocal(prior, o)) return undefined;
      removedObjects.push(o);
    }
  }
  const addedObjects = new Map<string, K8sObject>();
  for (const j of changed) {
    const path = files[j]!.path;
    if (models[j]!.parseDiagnostics.some((d) => d.file !== path)) return undefined;
    for (const o of models[j]!.objects) {
      if (o === undefined) continue;
      const key = keyOf(o);
      if (nonLocal(prior, o) || addedObjects.has(key)) return undefined;
      const first = prior.seen.get(o);
      if (first !== undefined && !removedPaths.has(first.file)) return undefined;
      addedObjects.set(key, o);
    }
  }

  // Classify the changed files.
  const sink = newSink(texts);
  const diagnosticsOf = new Map<number, Diagnostic[]>();
  const partAt = new Map<number, { policies: number; services: number; skipped: number; candidates: number }>();
  const partEnd = (): { policies: number; services: number; skipped: number; candidates: number } => ({
    policies: sink.policies.length,
    services: sink.services.length,
    skipped: sink.skipped.length,
    candidates: sink.candidates.length,
  });
  for (const j of changed) {
    partAt.set(j, partEnd());
    const before = sink.diagnostics.length;
    sink.file = j;
    classifyFile(sink, models[j]!);
    const block = [...models[j]!.parseDiagnostics, ...sink.diagnostics.slice(before)];
    if (block.some((d) => d.file !== files[j]!.path)) return undefined;
    diagnosticsOf.set(j, block.sort(byFileAndLine));
  }
  if (sink.dupPaths.size > 0 || sink.adminPolicies.length > 0 || sink.baselinePolicy || sink.ingressBackends.length > 0 || sink.declared.size > 0) return undefined;
  const end = partEnd();
  const nextPart = (j: number): { policies: number; services: number; skipped: number; candidates: number } => {
    const at = changed.indexOf(j);
    return at + 1 < changed.length ? partAt.get(changed[at + 1]!)! : end;
  };

  // The lists, file by file: runs of unchanged files copied from the prior cluster, changed files from the
  // sink, each list cut and joined in blocks (a derived build copies ~200,000 records at the huge bench tier).
  const pc = prior.cluster;
  const policies = new Runs<NetworkPolicy>();
  const services = new Runs<Service>();
  const skipped = new Runs<SkippedObject>();
  const workloads = new Runs<Workload>();
  const policiesAt = new Int32Array(n + 1);
  const servicesAt = new Int32Array(n + 1);
  const skippedAt = new Int32Array(n + 1);
  const workloadsAt = new Int32Array(n + 1);
  const priorServices = pc.services ?? [];
  for (let j = 0; j < n; ) {
    const i = fromPrior[j]!;
    if (i < 0) {
      policiesAt[j] = policies.length;
      servicesAt[j] = services.length;
      skippedAt[j] = skipped.length;
      workloadsAt[j] = workloads.length;
      const a = partAt.get(j)!;
      const b = nextPart(j);
      policies.add(sink.policies, a.policies, b.policies);
      services.add(sink.services, a.services, b.services);
      skipped.add(sink.skipped, a.skipped, b.skipped);
      const own: Workload[] = [];
      for (let k = a.candidates; k < b.candidates; k++) own.push(ownWorkload(sink.candidates[k]!));
      workloads.add(own, 0, own.length);
      j++;
      continue;
    }
    // A run of files that follow each other in the prior build too.
    const k = runEnd(fromPrior, j);
    const i2 = fromPrior[k]! + 1;
    shifted(policiesAt, prior.policiesAt, j, i, k - j + 1, policies.length - prior.policiesAt[i]!);
    shifted(servicesAt, prior.servicesAt, j, i, k - j + 1, services.length - prior.servicesAt[i]!);
    shifted(skippedAt, prior.skippedAt, j, i, k - j + 1, skipped.length - prior.skippedAt[i]!);
    shifted(workloadsAt, prior.workloadsAt, j, i, k - j + 1, workloads.length - prior.workloadsAt[i]!);
    policies.add(pc.policies, prior.policiesAt[i]!, prior.policiesAt[i2]!);
    services.add(priorServices, prior.servicesAt[i]!, prior.servicesAt[i2]!);
    skipped.add(pc.skipped, prior.skippedAt[i]!, prior.skippedAt[i2]!);
    workloads.add(pc.workloads, prior.workloadsAt[i]!, prior.workloadsAt[i2]!);
    j = k + 1;
  }
  policiesAt[n] = policies.length;
  servicesAt[n] = services.length;
  skippedAt[n] = skipped.length;
  workloadsAt[n] = workloads.length;
  // What the ownership step and the assumed world added after the files' own records: unchanged.
  skipped.add(pc.skipped, prior.skippedAt[old.length]!, pc.skipped.length);
  workloads.add(pc.workloads, prior.workloadsAt[old.length]!, pc.workloads.length);

  // Namespaces in use: the counts that change (0: no longer used) over the prior's.
  const counts = new Map<string, number>();
  const countOf = (ns: string): number => counts.get(ns) ?? prior.used.get(ns) ?? 0;
  const flipped = new Set<string>();
  for (const i of removed) {
    for (const o of old[i]!.objects) {
      const ns = o === undefined ? undefined : usedNamespaceOf(o);
      if (ns === undefined) continue;
      const count = countOf(ns) - 1;
      counts.set(ns, count);
      if (count === 0) flipped.add(ns);
    }
  }
  for (const [ns, count] of sink.used) {
    const was = countOf(ns);
    counts.set(ns, was + count);
    if (was === 0) {
      if (flipped.has(ns)) flipped.delete(ns);
      else flipped.add(ns);
    }
  }
  const used = prior.used.with(counts);
  let namespaces = pc.namespaces;
  const changedNames = [...flipped].filter((ns) => !prior.assumedNames.has(ns) && !(pc.namespaces.get(ns)?.declared ?? false));
  if (changedNames.length > 0) {
    const names = new Set(pc.namespaces.keys());
    for (const ns of changedNames) {
      if (countOf(ns) > 0) names.add(ns);
      else names.delete(ns);
    }
    const next = new Map<string, NamespaceInfo>();
    for (const name of [...names].sort()) next.set(name, pc.namespaces.get(name) ?? undeclaredNamespace(name, undefined));
    namespaces = next;
  }

  // Diagnostics: the prior's, less the removed files', with the changed files' (each file's sorted by line).
  const kept2 = removedPaths.size === 0 ? pc.diagnostics : pc.diagnostics.filter((d) => !removedPaths.has(d.file));
  const blocks = changed.filter((j) => diagnosticsOf.get(j)!.length > 0).sort((x, y) => (files[x]!.path < files[y]!.path ? -1 : 1));
  let diagnostics: readonly Diagnostic[] = kept2;
  if (blocks.length > 0) {
    const merged: Diagnostic[] = [];
    let k = 0;
    for (const j of blocks) {
      const path = files[j]!.path;
      while (k < kept2.length && kept2[k]!.file < path) merged.push(kept2[k++]!);
      merged.push(...diagnosticsOf.get(j)!);
    }
    while (k < kept2.length) merged.push(kept2[k++]!);
    diagnostics = merged;
  } else if (kept2 === pc.diagnostics) {
    diagnostics = [...kept2];
  }

  let documentCount = pc.documentCount;
  for (const i of removed) documentCount -= old[i]!.documentCount;
  for (const j of changed) documentCount += models[j]!.documentCount;

  // The Services are the prior's in blocks: their index by namespace follows from the prior's (diff lines
  // name the Services of a destination).
  const serviceList = services.list();
  noteDerivedServices(serviceList, priorServices, services.blocks());
  const cluster = makeCluster({
    namespaces,
    workloads: workloads.notedList(pc.workloads),
    policies: policies.notedList(pc.policies),
    adminPolicies: pc.adminPolicies ?? [],
    baselinePolicy: pc.baselinePolicy,
    services: serviceList,
    ingressBackends: pc.ingressBackends ?? [],
    ingressController: pc.ingressController,
    assumedNamespaces: pc.assumedNamespaces ?? [],
    skipped: skipped.list(),
    diagnostics,
    fileCount: files.length,
    documentCount,
    texts,
  });
  // The unchanged files' skipped objects are the prior's: so are their summaries (made on first use).
  const skippedParts = fromPriorOrUndefined(fromPrior, prior.skippedParts);
  return {
    optionsKey,
    files,
    texts,
    models,
    pathIndex: pathIndexOnce(files),
    policiesAt,
    servicesAt,
    skippedAt,
    workloadsAt,
    seen: prior.seen.derive(removedObjects, addedObjects),
    dupPaths: prior.dupPaths,
    ownerRefs: prior.ownerRefs,
    used,
    assumedNames: prior.assumedNames,
    derivable: true,
    cluster,
    skippedParts,
  };
}

// The loops over every file are functions of their own, not loops of deriveCluster: a loop that long makes V8
// compile all of deriveCluster, a large function, on a background thread while the build runs (and again after
// a deoptimisation); on two cores that competes with the build itself and the garbage collector's threads.

/** Whether the files from the prior build keep their order. */
function inOrder(fromPrior: Int32Array): boolean {
  let last = -1;
  for (let j = 0; j < fromPrior.length; j++) {
    const i = fromPrior[j]!;
    if (i < 0) continue;
    if (i <= last) return false;
    last = i;
  }
  return true;
}

/** The last file of the run of files from j on that follow each other in the prior build too. */
function runEnd(fromPrior: Int32Array, j: number): number {
  let k = j;
  while (k + 1 < fromPrior.length && fromPrior[k + 1] === fromPrior[k]! + 1) k++;
  return k;
}

/** Per file: the prior's entry for it when it comes from the prior build, else undefined. */
function fromPriorOrUndefined<T>(fromPrior: Int32Array, prior: readonly T[]): (T | undefined)[] {
  const out = new Array<T | undefined>(fromPrior.length);
  for (let j = 0; j < fromPrior.length; j++) {
    const i = fromPrior[j]!;
    if (i >= 0) out[j] = prior[i];
  }
  return out;
}

/** out[j..j+count) = from[i..i+count) + delta: where a run of unchanged files' records start. */
function shifted(out: Int32Array, from: Int32Array, j: number, i: number, count: number, delta: number): void {
  if (delta === 0) out.set(from.subarray(i, i + count), j);
  else for (let k = 0; k < count; k++) out[j + k] = from[i + k]! + delta;
}

/**
 * A list made of blocks of other lists: a derived build's are a few long runs of the prior's lists between
 * the changed files' records. The blocks are noted (adjacent ones joined), then copied once into an array
 * of the final size (the garbage collector's work at the huge tier is mostly in proportion to what is
 * allocated); a list that is all of one prior list is that list (clusters are read-only).
 */
class Runs<T> {
  readonly #blocks: { readonly from: readonly T[]; readonly a: number; b: number }[] = [];
  length = 0;

  add(from: readonly T[], a: number, b: number): void {
    if (b <= a) return;
    this.length += b - a;
    const last = this.#blocks[this.#blocks.length - 1];
    if (last !== undefined && last.from === from && last.b === a) last.b = b;
    else this.#blocks.push({ from, a, b });
  }

  /** The blocks noted so far, in order. */
  blocks(): readonly { readonly from: readonly T[]; readonly a: number; readonly b: number }[] {
    return this.#blocks;
  }

  /**
   * list(), its blocks noted for alignRecords when it is a new list (see noteCopiedRuns): blocks of `prior`
   * (the prior cluster's list) and of this build's new records.
   */
  notedList(prior: readonly T[]): readonly T[] {
    const out = this.list();
    const blocks = this.#blocks;
    if (out !== prior && (blocks.length !== 1 || out !== blocks[0]!.from)) {
      const runs = blocks.map(({ from, a, b }) => ({ from: from as unknown as readonly object[], a, b }));
      noteCopiedRuns(out as unknown as readonly object[], prior as unknown as readonly object[], runs);
    }
    return out;
  }

  list(): readonly T[] {
    const blocks = this.#blocks;
    if (blocks.length === 0) return [];
    const first = blocks[0]!;
    if (blocks.length === 1) return first.a === 0 && first.b === first.from.length ? first.from : first.from.slice(first.a, first.b);
    const out = new Array<T>(this.length);
    let at = 0;
    for (const { from, a, b } of blocks) for (let k = a; k < b; k++) out[at++] = from[k]!;
    return out;
  }
}
