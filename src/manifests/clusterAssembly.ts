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
  /** The files (a copy of the caller's list): later builds compare theirs to these. */
  readonly files: readonly ManifestFile[];
  readonly opts: LoadOptions;
  readonly texts: FileTexts;
  readonly models: readonly FileModel[];
  /** Everything besides the files that the cluster depends on (options, default namespace, sniffing). */
  readonly optionsKey: string;
}

/**
 * What a build keeps beside its cluster so that the next build, from mostly the same files, is derived from
 * it (see deriveCluster): per file, where its records start in the cluster's lists.
 */
export interface Assembly {
  readonly optionsKey: string;
  readonly files: readonly ManifestFile[];
  readonly texts: FileTexts;
  readonly models: readonly FileModel[];
  /** The index of each path (paths are unique when `derivable`), built on first use. */
  pathIndex(): ReadonlyMap<string, number>;
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
  /** How many objects of the files use each namespace (see usedNamespaceOf). */
  readonly used: UseCounts;
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

export function pathIndexOnce(files: readonly ManifestFile[]): () => ReadonlyMap<string, number> {
  let index: Map<string, number> | undefined;
  return () => {
    if (index === undefined) {
      index = new Map();
      for (let j = 0; j < files.length; j++) index.set(files[j]!.path, j);
    }
    return index;
  };
}

/** Past this many namespaces changed since the last full map, a derived build's counts are copied into one. */
const COUNT_CHANGES_LIMIT = 4096;

/**
 * Counts by namespace. A derived build keeps the counts that changed over the prior's (copying the map of
 * the 10,000 namespaces of the huge bench tier took a few milliseconds).
 */
export class UseCounts {
  readonly #base: ReadonlyMap<string, number>;
  /** Counts changed since `#base`; 0 for a namespace no longer used. */
  readonly #changes: ReadonlyMap<string, number>;

  constructor(base: ReadonlyMap<string, number>, changes: ReadonlyMap<string, number> = new Map()) {
    this.#base = base;
    this.#changes = changes;
  }

  /** The count of a namespace in use, or undefined. */
  get(ns: string): number | undefined {
    const changed = this.#changes.get(ns);
    if (changed !== undefined) return changed > 0 ? changed : undefined;
    return this.#base.get(ns);
  }

  /** These counts with some changed (0: no longer used). */
  with(changes: ReadonlyMap<string, number>): UseCounts {
    const merged = new Map(this.#changes);
    for (const [ns, count] of changes) merged.set(ns, count);
    if (merged.size <= COUNT_CHANGES_LIMIT) return new UseCounts(this.#base, merged);
    const full = new Map(this.#base);
    for (const [ns, count] of merged) {
      if (count > 0) full.set(ns, count);
      else full.delete(ns);
    }
    return new UseCounts(full);
  }
}

/** Past this many paths changed since the last full map, a derived build's texts are copied into one. */
const TEXT_CHANGES_LIMIT = 4096;

/**
 * The texts of a build's files by path (Cluster.texts), in file order. A derived build shares the texts
 * of the build it was derived from and keeps only its changed paths: copying a map of ~30,000 paths (the
 * huge bench tier) took several milliseconds, most of a derived build.
 */
export class FileTexts implements ReadonlyMap<string, string> {
  readonly #base: ReadonlyMap<string, string>;
  /** Paths changed since `#base`: the new text, or undefined for a removed path. Empty for a full map. */
  readonly #changes: ReadonlyMap<string, string | undefined>;
  /** False when `#base` is this build's own map; else the entries are the files' (their paths are unique). */
  readonly #derived: boolean;
  /** The build's files, for the order of a derived build's entries. */
  readonly #files: readonly ManifestFile[];
  #ordered: Map<string, string> | undefined;

  private constructor(base: ReadonlyMap<string, string>, changes: ReadonlyMap<string, string | undefined>, derived: boolean, files: readonly ManifestFile[]) {
    this.#base = base;
    this.#changes = changes;
    this.#derived = derived;
    this.#files = files;
  }

  /** A full map: the last text of each path, in order of first appearance (a Map filled in file order). */
  static of(files: readonly ManifestFile[]): FileTexts {
    const map = new Map<string, string>();
    for (let j = 0; j < files.length; j++) map.set(files[j]!.path, files[j]!.text);
    return new FileTexts(map, new Map(), false, files);
  }

  /**
   * These texts with some paths changed (undefined: removed), for a build of `files` with unique paths.
   * The changes since the full map are merged, so lookups stay one or two map reads.
   */
  with(changes: ReadonlyMap<string, string | undefined>, files: readonly ManifestFile[]): FileTexts {
    if (this.#changes.size + changes.size > TEXT_CHANGES_LIMIT) return FileTexts.of(files);
    const merged = new Map(this.#changes);
    for (const [path, text] of changes) merged.set(path, text);
    return new FileTexts(this.#base, merged, true, files);
  }

  get(path: string): string | undefined {
    if (this.#changes.size > 0) {
      const changed = this.#changes.get(path);
      if (changed !== undefined || this.#changes.has(path)) return changed;
    }
    return this.#base.get(path);
  }

  has(path: string): boolean {
    return this.get(path) !== undefined;
  }

  get size(): number {
    return this.#derived ? this.#files.length : this.#base.size;
  }

  /** Iteration (tests, tools; never a build) reads a full map in file order, made on first use. */
  #full(): ReadonlyMap<string, string> {
    if (!this.#derived) return this.#base;
    if (this.#ordered === undefined) {
      this.#ordered = new Map();
      for (let j = 0; j < this.#files.length; j++) this.#ordered.set(this.#files[j]!.path, this.#files[j]!.text);
    }
    return this.#ordered;
  }

  entries(): MapIterator<[string, string]> {
    return this.#full().entries();
  }

  keys(): MapIterator<string> {
    return this.#full().keys();
  }

  values(): MapIterator<string> {
    return this.#full().values();
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.#full().entries();
  }

  forEach(callback: (text: string, path: string, map: ReadonlyMap<string, string>) => void, thisArg?: unknown): void {
    for (const [path, text] of this.#full()) callback.call(thisArg, text, path, this);
  }
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
