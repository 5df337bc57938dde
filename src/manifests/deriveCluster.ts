// A derived build: the cluster of a recent build with a few files removed, added or changed (the head of a
// pull request from its base). Exactly what a full build gives, when every change is local to its files:
// the changed files (before and after) hold no namespace, admin policy, Ingress or Route, no object defined
// twice anywhere and no new duplicate, and no workload that names a controller, is named as one, or lives in
// an assumed namespace. Anything else is built from scratch.
import type { Diagnostic, NamespaceInfo, NetworkPolicy, Service, SkippedObject, Workload } from './model.js';
import { WORKLOAD_KINDS } from './podTemplate.js';
import { ADMIN_KINDS, type K8sObject } from './fileModel.js';
import { keyOf } from './keyIndex.js';
import { controllerOf } from './objectReads.js';
import { classifyFile, newSink, ownWorkload, usedNamespaceOf } from './classifyObjects.js';
import { byFileAndLine, indexOnce, makeCluster, partOf, undeclaredNamespace, type Assembly, type BuildInput } from './clusterAssembly.js';

/** At most this many changed files (and at most a quarter of them, or 8) are derived rather than built. */
const DERIVE_MAX_CHANGES = 512;

/** The recent build the input differs least from, if any may be derived from. */
export function closestPrior(input: BuildInput, recentClusters: readonly Assembly[]): Assembly | undefined {
  let best: Assembly | undefined;
  let bestChanges = Math.min(DERIVE_MAX_CHANGES, Math.max(8, input.models.length >> 2)) + 1;
  for (const r of recentClusters) {
    if (!r.derivable || r.optionsKey !== input.optionsKey) continue;
    // Files mostly keep their positions: counted by position when that finds few changes, else by model.
    let same = 0;
    if (r.models.length === input.models.length) for (let j = 0; j < r.models.length; j++) if (r.models[j] === input.models[j]) same++;
    if (input.models.length - same + (r.models.length - same) >= bestChanges) {
      const index = r.modelIndex();
      same = 0;
      for (const m of input.models) if (index.has(m)) same++;
    }
    // Files changed or added, and files removed.
    const changes = input.models.length - same + (r.models.length - same);
    if (changes < bestChanges) {
      best = r;
      bestChanges = changes;
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

export function deriveCluster(prior: Assembly, input: BuildInput): Assembly | undefined {
  const { files, texts, models, parseDiagnostics, documentCounts, optionsKey } = input;
  const n = models.length;
  const old = prior.models;
  const fromPrior = new Int32Array(n).fill(-1);
  const kept = new Uint8Array(old.length);
  // Paths repeat iff the texts by path are fewer than the files.
  if (texts.size !== n) return undefined;
  const changed: number[] = [];
  let last = -1;
  for (let j = 0; j < n; j++) {
    const i = old[j] === models[j] ? j : prior.modelIndex().get(models[j]!);
    if (i === undefined) {
      changed.push(j);
      continue;
    }
    // Unchanged files keep their order (the lists of a cluster are in file order).
    if (i <= last) return undefined;
    last = i;
    kept[i] = 1;
    fromPrior[j] = i;
  }
  const removed: number[] = [];
  for (let i = 0; i < old.length; i++) if (kept[i] === 0) removed.push(i);
  if (changed.length + removed.length > DERIVE_MAX_CHANGES) return undefined;

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
    if (parseDiagnostics[j]!.some((d) => d.file !== path)) return undefined;
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
    const block = [...parseDiagnostics[j]!, ...sink.diagnostics.slice(before)];
    if (block.some((d) => d.file !== files[j]!.path)) return undefined;
    diagnosticsOf.set(j, block.sort(byFileAndLine));
  }
  if (sink.dupPaths.size > 0 || sink.adminPolicies.length > 0 || sink.baselinePolicy || sink.ingressBackends.length > 0 || sink.declared.size > 0) return undefined;
  const end = partEnd();
  const nextPart = (j: number): { policies: number; services: number; skipped: number; candidates: number } => {
    const at = changed.indexOf(j);
    return at + 1 < changed.length ? partAt.get(changed[at + 1]!)! : end;
  };

  // The lists, file by file: runs of unchanged files copied from the prior cluster, changed files from the sink.
  const pc = prior.cluster;
  const policies: NetworkPolicy[] = [];
  const services: Service[] = [];
  const skipped: SkippedObject[] = [];
  const workloads: Workload[] = [];
  const policiesAt = new Int32Array(n + 1);
  const servicesAt = new Int32Array(n + 1);
  const skippedAt = new Int32Array(n + 1);
  const workloadsAt = new Int32Array(n + 1);
  const copy = <T>(out: T[], from: readonly T[], a: number, b: number): void => {
    for (let k = a; k < b; k++) out.push(from[k]!);
  };
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
      copy(policies, sink.policies, a.policies, b.policies);
      copy(services, sink.services, a.services, b.services);
      copy(skipped, sink.skipped, a.skipped, b.skipped);
      for (let k = a.candidates; k < b.candidates; k++) workloads.push(ownWorkload(sink.candidates[k]!));
      j++;
      continue;
    }
    // A run of files that follow each other in the prior build too.
    let k = j;
    while (k + 1 < n && fromPrior[k + 1] === fromPrior[k]! + 1) k++;
    const i2 = fromPrior[k]! + 1;
    for (let x = j; x <= k; x++) {
      const y = fromPrior[x]!;
      policiesAt[x] = policies.length + prior.policiesAt[y]! - prior.policiesAt[i]!;
      servicesAt[x] = services.length + prior.servicesAt[y]! - prior.servicesAt[i]!;
      skippedAt[x] = skipped.length + prior.skippedAt[y]! - prior.skippedAt[i]!;
      workloadsAt[x] = workloads.length + prior.workloadsAt[y]! - prior.workloadsAt[i]!;
    }
    copy(policies, pc.policies, prior.policiesAt[i]!, prior.policiesAt[i2]!);
    copy(services, priorServices, prior.servicesAt[i]!, prior.servicesAt[i2]!);
    copy(skipped, pc.skipped, prior.skippedAt[i]!, prior.skippedAt[i2]!);
    copy(workloads, pc.workloads, prior.workloadsAt[i]!, prior.workloadsAt[i2]!);
    j = k + 1;
  }
  policiesAt[n] = policies.length;
  servicesAt[n] = services.length;
  skippedAt[n] = skipped.length;
  workloadsAt[n] = workloads.length;
  // What the ownership step and the assumed world added after the files' own records: unchanged.
  copy(skipped, pc.skipped, prior.skippedAt[old.length]!, pc.skipped.length);
  copy(workloads, pc.workloads, prior.workloadsAt[old.length]!, pc.workloads.length);

  // Namespaces in use.
  const used = new Map(prior.used);
  const flipped = new Set<string>();
  for (const i of removed) {
    for (const o of old[i]!.objects) {
      const ns = o === undefined ? undefined : usedNamespaceOf(o);
      if (ns === undefined) continue;
      const count = used.get(ns)! - 1;
      if (count > 0) used.set(ns, count);
      else {
        used.delete(ns);
        flipped.add(ns);
      }
    }
  }
  for (const [ns, count] of sink.used) {
    const was = used.get(ns) ?? 0;
    used.set(ns, was + count);
    if (was === 0) {
      if (flipped.has(ns)) flipped.delete(ns);
      else flipped.add(ns);
    }
  }
  let namespaces = pc.namespaces;
  const changedNames = [...flipped].filter((ns) => !prior.assumedNames.has(ns) && !(pc.namespaces.get(ns)?.declared ?? false));
  if (changedNames.length > 0) {
    const names = new Set(pc.namespaces.keys());
    for (const ns of changedNames) {
      if (used.has(ns)) names.add(ns);
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
  for (const i of removed) documentCount -= prior.documentCounts[i]!;
  for (const j of changed) documentCount += documentCounts[j]!;

  const cluster = makeCluster({
    namespaces,
    workloads,
    policies,
    adminPolicies: pc.adminPolicies ?? [],
    baselinePolicy: pc.baselinePolicy,
    services,
    ingressBackends: pc.ingressBackends ?? [],
    ingressController: pc.ingressController,
    assumedNamespaces: pc.assumedNamespaces ?? [],
    skipped,
    diagnostics,
    fileCount: files.length,
    documentCount,
    texts,
  });
  return {
    optionsKey,
    models,
    modelIndex: indexOnce(models),
    documentCounts,
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
    // The unchanged files' skipped objects are the prior's: so are their summaries.
    skippedParts: Array.from(fromPrior, (i) => (i >= 0 && prior.skippedAt[i + 1]! > prior.skippedAt[i]! ? partOf(prior, i) : undefined)),
  };
}
