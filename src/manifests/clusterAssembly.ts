// What a build keeps beside its cluster (the Assembly), and the parts a full and a derived build share.
import type {
  AdminNetworkPolicy,
  Cluster,
  Diagnostic,
  IngressBackend,
  Labels,
  LoadOptions,
  ManifestFile,
  NamespaceInfo,
  NetworkPolicy,
  Service,
  SkippedObject,
  Workload,
} from './model.js';
import { AUTO_NAMESPACE_LABEL } from './model.js';
import type { FileModel } from './fileModel.js';
import type { KeyIndex } from './keyIndex.js';

export interface BuildInput {
  readonly files: readonly ManifestFile[];
  readonly opts: LoadOptions;
  readonly texts: ReadonlyMap<string, string>;
  readonly models: readonly FileModel[];
  readonly parseDiagnostics: readonly (readonly Diagnostic[])[];
  readonly documentCounts: readonly number[];
  readonly optionsKey: string;
}

/**
 * What a build keeps beside its cluster so that the next build, from mostly the same files, is derived from
 * it (see deriveCluster): per file, where its records start in the cluster's lists.
 */
export interface Assembly {
  readonly optionsKey: string;
  readonly models: readonly FileModel[];
  /** The index of each model (files have unique paths when `derivable`), built on first use. */
  modelIndex(): ReadonlyMap<FileModel, number>;
  readonly documentCounts: readonly number[];
  /** Per file (and one past the last): where its records start. Workloads and skipped objects of the
   * ownership step (pods of a loaded controller, grouped pods) follow `workloadsEnd` / `skippedEnd`. */
  readonly policiesAt: Int32Array;
  readonly servicesAt: Int32Array;
  readonly skippedAt: Int32Array;
  readonly workloadsAt: Int32Array;
  readonly seen: KeyIndex;
  readonly dupPaths: ReadonlySet<string>;
  /** Controllers (namespace/name[kind]) that some loaded object names as its controller. */
  readonly ownerRefs: ReadonlySet<string>;
  readonly used: ReadonlyMap<string, number>;
  readonly assumedNames: ReadonlySet<string>;
  /**
   * False when a later build must not be derived from this one: paths repeat, a parse diagnostic names
   * another file, or admin policies share a priority (their warnings depend on every workload).
   */
  readonly derivable: boolean;
  readonly cluster: Cluster;
  /** Per file, its skipped objects summarised (see skippedSummary); filled on first use. */
  readonly skippedParts: (SkippedPart | undefined)[];
}

/** The skipped objects of one file (or of the ownership step) by kind: count and reasons in order of first appearance. */
export type SkippedPart = ReadonlyMap<string, { readonly count: number; readonly reasons: readonly string[] }>;

export function skippedPart(skipped: readonly SkippedObject[], from: number, to: number): SkippedPart {
  const part = new Map<string, { count: number; reasons: Set<string> }>();
  for (let k = from; k < to; k++) {
    const s = skipped[k]!;
    let entry = part.get(s.kind);
    if (!entry) part.set(s.kind, (entry = { count: 0, reasons: new Set() }));
    entry.count++;
    entry.reasons.add(s.reason);
  }
  return new Map([...part].map(([kind, e]) => [kind, { count: e.count, reasons: [...e.reasons] }]));
}

export function partOf(a: Assembly, i: number): SkippedPart {
  return (a.skippedParts[i] ??= skippedPart(a.cluster.skipped, a.skippedAt[i]!, a.skippedAt[i + 1]!));
}

export function indexOnce(models: readonly FileModel[]): () => ReadonlyMap<FileModel, number> {
  let index: Map<FileModel, number> | undefined;
  return () => (index ??= new Map(models.map((m, i) => [m, i])));
}

export function undeclaredNamespace(name: string, assumedLabels: Labels | undefined): NamespaceInfo {
  return assumedLabels
    ? { name, labels: { ...assumedLabels, [AUTO_NAMESPACE_LABEL]: name }, declared: false, assumed: true }
    : { name, labels: { [AUTO_NAMESPACE_LABEL]: name }, declared: false };
}

export function byFileAndLine(a: Diagnostic, b: Diagnostic): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}

interface ClusterParts {
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
  readonly workloads: readonly Workload[];
  readonly policies: readonly NetworkPolicy[];
  readonly adminPolicies: readonly AdminNetworkPolicy[];
  readonly baselinePolicy: AdminNetworkPolicy | undefined;
  readonly services: readonly Service[];
  readonly ingressBackends: readonly IngressBackend[];
  readonly ingressController: Workload | undefined;
  readonly assumedNamespaces: readonly string[];
  readonly skipped: readonly SkippedObject[];
  readonly diagnostics: readonly Diagnostic[];
  readonly fileCount: number;
  readonly documentCount: number;
  readonly texts: ReadonlyMap<string, string>;
}

export function makeCluster(p: ClusterParts): Cluster {
  return {
    namespaces: p.namespaces,
    workloads: p.workloads,
    policies: p.policies,
    ...(p.adminPolicies.length > 0 ? { adminPolicies: p.adminPolicies } : {}),
    ...(p.baselinePolicy ? { baselinePolicy: p.baselinePolicy } : {}),
    ...(p.services.length > 0 ? { services: p.services } : {}),
    ...(p.ingressBackends.length > 0 ? { ingressBackends: p.ingressBackends } : {}),
    ...(p.ingressController ? { ingressController: p.ingressController } : {}),
    ...(p.assumedNamespaces.length > 0 ? { assumedNamespaces: p.assumedNamespaces } : {}),
    skipped: p.skipped,
    diagnostics: p.diagnostics,
    fileCount: p.fileCount,
    documentCount: p.documentCount,
    texts: p.texts,
  };
}
