// The main entry of the manifests layer: files -> Cluster. Semantics are Kubernetes': namespace labels,
// policy defaulting and validation, controller ownership. Anything not modelled is listed in `skipped`
// with a reason, never dropped silently; anything the API server would reject is an error diagnostic.
import type {
  AdminNetworkPolicy,
  Cluster,
  IngressBackend,
  IngressControllerOptions,
  Service,
  Diagnostic,
  Labels,
  LoadOptions,
  ManifestFile,
  NamespaceInfo,
  NetworkPolicy,
  SkippedObject,
  SourceRef,
  Workload,
} from './model.js';
import { ASSUMED_PODS_NAME, AUTO_NAMESPACE_LABEL, INGRESS_CONTROLLER_NAME } from './model.js';
import { readIngressBackends, readRouteBackends, readServiceSpec, type ServiceSpec } from './serviceSpec.js';
import { parseFile } from './parseFile.js';
import { lineOf } from './locate.js';
import { isList, listItems, type ListItem } from './listItems.js';
import { isObject, ProblemList, type Problem, type RawObject } from './problems.js';
import { readLabels } from './labels.js';
import { readPolicySpec, type PolicySpec } from './policySpec.js';
import { readPodTemplate, WORKLOAD_KINDS, type PodTemplate } from './podTemplate.js';
import type { RawDocument } from './parseFile.js';
import { canonicalJson } from './canonicalJson.js';
import { readAdminSpec, type AdminSpec } from './adminPolicySpec.js';
import { parseCidr } from './cidr.js';
import { compileSelector } from '../engine/labelSelector.js';
import { summarizeSkipped, type SkippedSummary } from './summarize.js';

const ADMIN_API = 'policy.networking.k8s.io/v1alpha1';
/** The ingress-nginx Helm chart's controller pods and namespace. */
const NGINX_CONTROLLER = { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } };
/** OpenShift's router: policies admit it with namespaceSelector network.openshift.io/policy-group=ingress. */
const OPENSHIFT_ROUTER = {
  namespace: 'openshift-ingress',
  labels: { 'ingresscontroller.operator.openshift.io/deployment-ingresscontroller': 'default' },
  namespaceLabels: { 'network.openshift.io/policy-group': 'ingress' },
};
const ADMIN_KINDS = new Set(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);
/** Ranges where pod and node addresses usually live (RFC 1918, CGNAT, ULA). */
const CLUSTER_LIKE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'];

interface K8sObject {
  readonly obj: RawObject;
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  /** metadata.namespace, or the default namespace. */
  readonly namespace: string;
  readonly explicitNamespace: boolean;
  readonly source: SourceRef;
  /** Cluster-scoped kinds have no namespace: duplicates are found by kind and name alone (see KeyTree). */
  readonly clusterScoped: boolean;
  /**
   * Kept between builds (see FileModel): what reading the object gave, which depends on its raw value and
   * kind alone (the typed value and the problems, with paths relative to the object), and the model record
   * built from it (which also depends on its source and namespace, fixed for this object too).
   */
  read?: PolicyRead | AdminRead | ServiceRead | IngressRead | WorkloadRead;
  built?: NetworkPolicy | Workload | SkippedObject;
}

interface PolicyRead {
  readonly spec?: PolicySpec;
  readonly problems: readonly Problem[];
  readonly specKey: string;
}
interface AdminRead {
  readonly spec?: AdminSpec;
  readonly problems: readonly Problem[];
  readonly specKey: string;
}
interface ServiceRead {
  readonly spec?: ServiceSpec;
  readonly problems: readonly Problem[];
}
interface IngressRead {
  readonly backends: ReturnType<typeof readIngressBackends>;
  readonly problems: readonly Problem[];
}
interface WorkloadRead {
  readonly template?: PodTemplate;
  readonly owner?: Owner;
  readonly problems: readonly Problem[];
}

interface Owner {
  readonly kind: string;
  readonly name: string;
}

interface WorkloadCandidate {
  readonly o: K8sObject;
  readonly template: PodTemplate;
  readonly owner?: Owner;
  /** The index of its file in the build. */
  readonly file: number;
}

/** Labels that differ from pod to pod of one controller by design; ignored when comparing pods. */
const PER_POD_LABELS = new Set(['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']);

// What reading a file gives, kept per parsed file: the parse cache hands the same documents back for an
// unchanged file, so a rebuild (the head of a diff, the next pull request) reads only what changed, and
// clusters built from the same documents share their model records (read-only, like the documents). One
// record per file rather than one memo entry per object: a few hundred thousand weakly held entries made
// every full garbage collection slow. Everything that depends on the build (duplicates, namespaces in use,
// ownership, diagnostic lines) is still worked out on every build.
interface FileModel {
  /** The parsed documents it was made from. */
  readonly documents: readonly RawDocument[];
  /** The objects depend on the path (their sources) and the default namespace (their identities). */
  readonly path: string;
  readonly defaultNamespace: string;
  /** The objects of the file (lists flattened). */
  readonly items: readonly ListItem[];
  /** items[i] as a named Kubernetes object, or undefined when it is not one (the build says why). */
  readonly objects: readonly (K8sObject | undefined)[];
}

/** File models by the parsed documents they come from, newest first (the same text may be at a few paths). */
const fileModels = new WeakMap<readonly RawDocument[], FileModel[]>();
const MODELS_PER_DOCUMENTS = 4;

function fileModel(documents: readonly RawDocument[], path: string, defaultNamespace: string, texts: ReadonlyMap<string, string>): FileModel {
  const models = fileModels.get(documents);
  if (models !== undefined) {
    for (const m of models) if (m.path === path && m.defaultNamespace === defaultNamespace) return m;
  }
  const items = objectsOf(path, documents, texts);
  const model: FileModel = { documents, path, defaultNamespace, items, objects: items.map((item) => identify(item, defaultNamespace)) };
  // The same text at another path (two checkouts compared side by side): what reading an object gave
  // depends on its raw value and kind alone, so it is shared; the records (which carry the path) are not.
  const sibling = models?.find((m) => m.objects.length === model.objects.length);
  if (sibling) {
    model.objects.forEach((o, i) => {
      const s = sibling.objects[i];
      if (o && s && s.obj === o.obj && s.kind === o.kind && s.read) o.read = s.read;
    });
  }
  if (models === undefined) fileModels.set(documents, [model]);
  else {
    models.unshift(model);
    if (models.length > MODELS_PER_DOCUMENTS) models.pop();
  }
  return model;
}

/** The path of a document's own object: one list for every source (paths are never changed). */
const DOCUMENT_ROOT: readonly (string | number)[] = [];

/** The objects of the documents of one file, with their sources. */
function objectsOf(path: string, documents: readonly RawDocument[], texts: ReadonlyMap<string, string>): readonly ListItem[] {
  const out: ListItem[] = [];
  for (const d of documents) {
    const source: SourceRef = { file: path, line: d.line, doc: d.doc, path: DOCUMENT_ROOT };
    if (isObject(d.value) && isList(d.value)) out.push(...listItems(d.value, source, texts));
    else out.push({ value: d.value, source });
  }
  return out;
}

/** The item as a named Kubernetes object, or undefined when it is not one (the caller says why). */
function identify(item: ListItem, defaultNamespace: string): K8sObject | undefined {
  const { value, source } = item;
  if (!isObject(value)) return undefined;
  const kind = typeof value.kind === 'string' ? value.kind : item.kind;
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : item.apiVersion;
  if (!kind || !apiVersion) return undefined;
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const explicitNamespace = typeof metadata.namespace === 'string' && metadata.namespace !== '';
  const namespace = explicitNamespace ? (metadata.namespace as string) : defaultNamespace;
  // Cluster-scoped kinds have no namespace: their key and their shown name are the name alone.
  const clusterScoped = kind === 'Namespace' || ADMIN_KINDS.has(kind);
  // read and built are set later: present from the start, so that setting them keeps the object's shape (a
  // property added later goes to a property array of its own, one per object).
  return { obj: value, kind, apiVersion, name, namespace, explicitNamespace, source, clusterScoped, read: undefined, built: undefined };
}

/** The namespace part of an object's identity: none for cluster-scoped kinds. */
function keyNamespace(o: K8sObject): string {
  return o.clusterScoped ? '' : o.namespace;
}

/**
 * An object's identity (kind, namespace for namespaced kinds, name) as one string, for the few objects of
 * a derived build's changed files: kind and namespace are length-prefixed, so no two identities share it.
 */
function keyOf(o: K8sObject): string {
  const ns = keyNamespace(o);
  return `${o.kind.length}:${o.kind}${ns.length}:${ns}${o.name}`;
}

/**
 * The first source of each object identity, by kind, then namespace ('' for cluster-scoped kinds), then
 * name. Nested maps of the parsed strings rather than one map of concatenated keys: a full build looks up
 * every object (250,000 at the huge bench tier), and a concatenated key is made, flattened and hashed each
 * time, where the parsed strings are hashed once (the hash is kept with the string) and the maps are small.
 */
class KeyTree {
  constructor(private readonly byKind = new Map<string, Map<string, Map<string, SourceRef>>>()) {}

  /** The names of one kind and namespace, with their first sources; created when missing. */
  names(kind: string, namespace: string): Map<string, SourceRef> {
    let byNamespace = this.byKind.get(kind);
    if (byNamespace === undefined) this.byKind.set(kind, (byNamespace = new Map()));
    let names = byNamespace.get(namespace);
    if (names === undefined) byNamespace.set(namespace, (names = new Map()));
    return names;
  }

  get(kind: string, namespace: string, name: string): SourceRef | undefined {
    return this.byKind.get(kind)?.get(namespace)?.get(name);
  }

  /** A copy with the entries removed and added (removals first); the name maps not changed are shared. */
  with(removed: Iterable<KeyEntry>, added: Iterable<KeyEntry>): KeyTree {
    const byKind = new Map<string, Map<string, Map<string, SourceRef>>>();
    for (const [kind, byNamespace] of this.byKind) byKind.set(kind, new Map(byNamespace));
    const copied = new Set<Map<string, SourceRef>>();
    const names = (kind: string, namespace: string): Map<string, SourceRef> => {
      let byNamespace = byKind.get(kind);
      if (byNamespace === undefined) byKind.set(kind, (byNamespace = new Map()));
      let m = byNamespace.get(namespace);
      if (m === undefined || !copied.has(m)) {
        m = new Map(m);
        byNamespace.set(namespace, m);
        copied.add(m);
      }
      return m;
    };
    for (const e of removed) names(e.kind, e.namespace).delete(e.name);
    for (const e of added) names(e.kind, e.namespace).set(e.name, e.source!);
    return new KeyTree(byKind);
  }
}

/** An identity removed from (no source) or added to a KeyTree. */
interface KeyEntry {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly source?: SourceRef;
}

function keyEntry(o: K8sObject, source?: SourceRef): KeyEntry {
  return source === undefined ? { kind: o.kind, namespace: keyNamespace(o), name: o.name } : { kind: o.kind, namespace: keyNamespace(o), name: o.name, source };
}

/**
 * Duplicate detection: the first source of every object key of a build. A build derived from another (see
 * deriveCluster) shares the other's map and records only what it removed and added.
 */
class KeyIndex {
  /** added and removed are by keyOf. */
  constructor(
    private readonly root: KeyTree,
    private readonly added: ReadonlyMap<string, KeyEntry> = new Map(),
    private readonly removed: ReadonlyMap<string, KeyEntry> = new Map(),
  ) {}

  get(o: K8sObject): SourceRef | undefined {
    if (this.added.size > 0 || this.removed.size > 0) {
      const key = keyOf(o);
      const a = this.added.get(key);
      if (a !== undefined) return a.source;
      if (this.removed.has(key)) return undefined;
    }
    return this.root.get(o.kind, keyNamespace(o), o.name);
  }

  /** removedObjects: objects of removed files; addedObjects: objects of changed files by keyOf. */
  derive(removedObjects: readonly K8sObject[], addedObjects: ReadonlyMap<string, K8sObject>): KeyIndex {
    const added = new Map(this.added);
    const removed = new Map(this.removed);
    for (const o of removedObjects) {
      const k = keyOf(o);
      added.delete(k);
      removed.set(k, keyEntry(o));
    }
    for (const [k, o] of addedObjects) added.set(k, keyEntry(o, o.source));
    if (added.size + removed.size <= KEY_DELTA_LIMIT) return new KeyIndex(this.root, added, removed);
    return new KeyIndex(this.root.with(removed.values(), added.values()));
  }
}
/** Past this many keys removed or added since the last full map, a derived build copies the map. */
const KEY_DELTA_LIMIT = 4096;

/**
 * Where classifying objects puts what it finds. A full build has one sink for every file; a derived build
 * one for the changed files. `file` is the index of the file being classified (candidates carry it).
 */
interface Sink {
  readonly texts: ReadonlyMap<string, string>;
  readonly diagnostics: Diagnostic[];
  readonly skipped: SkippedObject[];
  readonly policies: NetworkPolicy[];
  readonly adminPolicies: AdminNetworkPolicy[];
  baselinePolicy: AdminNetworkPolicy | undefined;
  readonly services: Service[];
  readonly ingressBackends: IngressBackend[];
  readonly declared: Map<string, NamespaceInfo>;
  /** How many objects use each namespace (see usedNamespaceOf). */
  readonly used: Map<string, number>;
  readonly candidates: WorkloadCandidate[];
  readonly seen: KeyTree;
  /** Files holding an object defined twice (either definition). */
  readonly dupPaths: Set<string>;
  file: number;
}

function newSink(texts: ReadonlyMap<string, string>): Sink {
  return {
    texts,
    diagnostics: [],
    skipped: [],
    policies: [],
    adminPolicies: [],
    baselinePolicy: undefined,
    services: [],
    ingressBackends: [],
    declared: new Map(),
    used: new Map(),
    candidates: [],
    seen: new KeyTree(),
    dupPaths: new Set(),
    file: 0,
  };
}

/**
 * What a build keeps beside its cluster so that the next build, from mostly the same files, is derived from
 * it (see deriveCluster): per file, where its records start in the cluster's lists.
 */
interface Assembly {
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
type SkippedPart = ReadonlyMap<string, { readonly count: number; readonly reasons: readonly string[] }>;

const assemblies = new WeakMap<Cluster, Assembly>();

function skippedPart(skipped: readonly SkippedObject[], from: number, to: number): SkippedPart {
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

function partOf(a: Assembly, i: number): SkippedPart {
  return (a.skippedParts[i] ??= skippedPart(a.cluster.skipped, a.skippedAt[i]!, a.skippedAt[i + 1]!));
}

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
    const prior = closestPrior(input);
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

interface BuildInput {
  readonly files: readonly ManifestFile[];
  readonly opts: LoadOptions;
  readonly texts: ReadonlyMap<string, string>;
  readonly models: readonly FileModel[];
  readonly parseDiagnostics: readonly (readonly Diagnostic[])[];
  readonly documentCounts: readonly number[];
  readonly optionsKey: string;
}

// ---------------------------------------------------------------------------------------------------------
// Classifying objects: the same code for a full build and for the changed files of a derived one.

function report(sink: Sink, source: SourceRef, severity: Diagnostic['severity'], message: string, path: readonly (string | number)[] = []): void {
  sink.diagnostics.push({ file: source.file, line: path.length > 0 ? lineOf(sink.texts, source, path) : source.line, severity, message });
}

function skip(sink: Sink, o: { kind: string; apiVersion?: string; namespace?: string; name?: string; source: SourceRef }, reason: string): void {
  sink.skipped.push(skippedRecord(o, reason));
}

/** Reports the problems of one object; returns the skip reason when there are errors. */
function reportProblems(sink: Sink, o: K8sObject, problems: readonly Problem[]): string | undefined {
  if (problems.length === 0) return undefined;
  const label = o.kind === 'Namespace' || ADMIN_KINDS.has(o.kind) ? `${o.kind} ${o.name}` : `${o.kind} ${o.namespace}/${o.name}`;
  let firstError: string | undefined;
  for (const p of problems) {
    if (p.severity === 'error') {
      firstError ??= p.message;
      report(sink, o.source, 'error', `${label} not analysed: ${p.message}`, p.path);
    } else {
      report(sink, o.source, 'warning', `${label}: ${p.message}`, p.path);
    }
  }
  if (firstError === undefined) return undefined;
  const more = problems.filter((p) => p.severity === 'error').length - 1;
  return `invalid: ${firstError}${more > 0 ? ` (and ${more} more)` : ''}`;
}

function classifyFile(sink: Sink, model: FileModel): void {
  const { items, objects } = model;
  for (let i = 0; i < items.length; i++) {
    const o = objects[i];
    if (o !== undefined) classify(sink, o);
    else notAnObject(sink, items[i]!);
  }
}

/** Says why an item is not a named Kubernetes object. */
function notAnObject(sink: Sink, item: ListItem): void {
  const { value, source } = item;
  if (!isObject(value)) {
    skip(sink, { kind: '(not an object)', source }, 'not a Kubernetes object');
    return;
  }
  const kind = typeof value.kind === 'string' ? value.kind : item.kind;
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : item.apiVersion;
  if (!kind || !apiVersion) {
    skip(sink, { kind: kind ?? '(none)', source }, 'not a Kubernetes object (no apiVersion or kind)');
    return;
  }
  report(sink, source, 'error', `${kind} without metadata.name; not analysed`, ['metadata']);
  skip(sink, { kind, apiVersion, source }, 'missing metadata.name');
}

function isIngressKind(kind: string, apiVersion: string): boolean {
  return (kind === 'Ingress' && apiVersion === 'networking.k8s.io/v1') || (kind === 'Route' && apiVersion === 'route.openshift.io/v1');
}

/** The namespace an object (not a duplicate) puts in use, if any: it then exists with the automatic label. */
function usedNamespaceOf(o: K8sObject): string | undefined {
  const { kind, apiVersion } = o;
  if (kind === 'Namespace' || ADMIN_KINDS.has(kind)) return undefined;
  if (kind === 'NetworkPolicy' || (kind === 'Service' && apiVersion === 'v1') || isIngressKind(kind, apiVersion) || kind in WORKLOAD_KINDS) return o.namespace;
  return o.explicitNamespace ? o.namespace : undefined;
}

function classify(sink: Sink, o: K8sObject): void {
  const { kind, apiVersion, name, namespace, explicitNamespace, source, clusterScoped } = o;
  const names = sink.seen.names(kind, clusterScoped ? '' : namespace);
  const first = names.get(name);
  if (first) {
    const shownName = clusterScoped ? name : `${namespace}/${name}`;
    sink.dupPaths.add(first.file);
    sink.dupPaths.add(source.file);
    report(sink, source, 'error', `${kind} ${shownName} is defined twice: first at ${first.file}:${first.line}, again here; this one is skipped`);
    skip(sink, { kind, apiVersion, namespace: clusterScoped ? undefined : namespace, name, source }, `duplicate of ${first.file}:${first.line}`);
    return;
  }
  names.set(name, source);
  const used = usedNamespaceOf(o);
  if (used !== undefined) sink.used.set(used, (sink.used.get(used) ?? 0) + 1);

  if (kind === 'Namespace') {
    readNamespace(sink, o);
  } else if (ADMIN_KINDS.has(kind)) {
    readAdminPolicy(sink, o);
  } else if (kind === 'NetworkPolicy') {
    addPolicy(sink, o);
  } else if (kind === 'Service' && apiVersion === 'v1') {
    readService(sink, o);
  } else if (isIngressKind(kind, apiVersion)) {
    readIngress(sink, o);
  } else if (kind in WORKLOAD_KINDS) {
    readWorkload(sink, o);
  } else {
    // The same record for every build from these documents (most objects of a large repository are these).
    sink.skipped.push((o.built ??= skippedRecord({ kind, apiVersion, namespace: explicitNamespace ? namespace : undefined, name, source }, 'not modelled')) as SkippedObject);
  }
}

function readNamespace(sink: Sink, o: K8sObject): void {
  if (o.apiVersion !== 'v1') {
    report(sink, o.source, 'error', `Namespace ${o.name}: unknown apiVersion "${o.apiVersion}"; skipped`);
    return skip(sink, { kind: o.kind, apiVersion: o.apiVersion, name: o.name, source: o.source }, `unknown apiVersion ${o.apiVersion}`);
  }
  const problems = new ProblemList();
  const metadata = isObject(o.obj.metadata) ? o.obj.metadata : {};
  const labels: Record<string, string> = { ...(readLabels(metadata.labels, ['metadata', 'labels'], problems) ?? {}) };
  const reason = reportProblems(sink, o, problems.items);
  if (reason) return skip(sink, { kind: o.kind, apiVersion: o.apiVersion, name: o.name, source: o.source }, reason);
  // The API server always sets kubernetes.io/metadata.name to the name, over any value written.
  const written = labels[AUTO_NAMESPACE_LABEL];
  if (written !== undefined && written !== o.name) {
    report(sink, o.source, 'warning', `Namespace ${o.name}: label ${AUTO_NAMESPACE_LABEL}=${written} is replaced by ${o.name}, as the API server does`, ['metadata', 'labels', AUTO_NAMESPACE_LABEL]);
  }
  labels[AUTO_NAMESPACE_LABEL] = o.name;
  sink.declared.set(o.name, { name: o.name, labels, declared: true, source: o.source });
}

function addPolicy(sink: Sink, o: K8sObject): void {
  const id = `${o.namespace}/${o.name}`;
  const skipped = (reason: string): void =>
    skip(sink, { kind: o.kind, apiVersion: o.apiVersion, namespace: o.namespace, name: o.name, source: o.source }, reason);
  if (o.apiVersion === 'extensions/v1beta1') {
    report(sink, o.source, 'warning', `NetworkPolicy ${id}: apiVersion extensions/v1beta1 is deprecated, analysed as networking.k8s.io/v1`, ['apiVersion']);
  } else if (o.apiVersion !== 'networking.k8s.io/v1') {
    report(sink, o.source, 'error', `NetworkPolicy ${id}: unknown apiVersion "${o.apiVersion}"; not analysed`, ['apiVersion']);
    return skipped(`unknown apiVersion ${o.apiVersion}`);
  }
  const read = (o.read ??= readPolicy(o.obj.spec)) as PolicyRead;
  const reason = reportProblems(sink, o, read.problems);
  if (reason || !read.spec) return skipped(reason ?? 'invalid');
  sink.policies.push((o.built ??= new PolicyRecord(id, o.namespace, o.name, read.spec, o.source, read)) as NetworkPolicy);
}

/**
 * A NetworkPolicy of the model. A class rather than an object literal with a `specKey` getter: every such
 * literal had properties (and a closure) of its own, where these share one shape and the getter.
 */
class PolicyRecord implements NetworkPolicy {
  readonly podSelector: PolicySpec['podSelector'];
  readonly affectsIngress: boolean;
  readonly affectsEgress: boolean;
  readonly ingress: PolicySpec['ingress'];
  readonly egress: PolicySpec['egress'];
  readonly #read: PolicyRead;

  constructor(
    readonly id: string,
    readonly namespace: string,
    readonly name: string,
    spec: PolicySpec,
    readonly source: SourceRef,
    read: PolicyRead,
  ) {
    this.podSelector = spec.podSelector;
    this.affectsIngress = spec.affectsIngress;
    this.affectsEgress = spec.affectsEgress;
    this.ingress = spec.ingress;
    this.egress = spec.egress;
    this.#read = read;
  }

  get specKey(): string {
    return this.#read.specKey;
  }
}

function readAdminPolicy(sink: Sink, o: K8sObject): void {
  const tier = o.kind === 'AdminNetworkPolicy' ? 'admin' : 'baseline';
  const skipped = (reason: string): void => skip(sink, { kind: o.kind, apiVersion: o.apiVersion, name: o.name, source: o.source }, reason);
  if (o.apiVersion !== ADMIN_API) {
    report(sink, o.source, 'error', `${o.kind} ${o.name}: unknown apiVersion "${o.apiVersion}" (expected ${ADMIN_API}); not analysed`, ['apiVersion']);
    return skipped(`unknown apiVersion ${o.apiVersion}`);
  }
  if (o.explicitNamespace) {
    report(sink, o.source, 'warning', `${o.kind} ${o.name} is cluster-scoped: metadata.namespace "${o.namespace}" is ignored`, ['metadata', 'namespace']);
  }
  const problems = new ProblemList();
  // BaselineAdminNetworkPolicy is a singleton: the CRD only admits the name `default`.
  if (tier === 'baseline' && o.name !== 'default') problems.error(['metadata', 'name'], `Only one baseline admin network policy with metadata.name="default" can be created in the cluster`);
  const read = (o.read ??= readAdmin(o.obj.spec, tier)) as AdminRead;
  problems.items.push(...read.problems);
  const reason = reportProblems(sink, o, problems.items);
  if (reason || !read.spec) return skipped(reason ?? 'invalid');
  const policy: AdminNetworkPolicy = { tier, id: o.name, name: o.name, ...read.spec, source: o.source, specKey: read.specKey };
  if (tier === 'admin') sink.adminPolicies.push(policy);
  else sink.baselinePolicy = policy;
}

/** The spec of an (Baseline)AdminNetworkPolicy, with the warnings about what manifests cannot tell. */
function readAdmin(raw: unknown, tier: 'admin' | 'baseline'): { spec?: AdminSpec; problems: readonly Problem[]; specKey: string } {
  const problems = new ProblemList();
  const spec = readAdminSpec(raw, tier, problems);
  if (spec) {
    for (const dir of ['ingress', 'egress'] as const) {
      for (const rule of spec[dir]) {
        const cidrs = rule.peers.flatMap((p) => (p.type === 'networks' ? p.cidrs : []));
        const clusterLike = cidrs.filter((c) => !c.endsWith('/0') && CLUSTER_LIKE_RANGES.some((r) => cidrsOverlap(c, r)));
        if (clusterLike.length > 0) {
          problems.warning([...rule.path, 'to'], `networks ${clusterLike.join(', ')} may hold pod or node addresses, which manifests do not give: analysed as matching only addresses outside the cluster (only 0.0.0.0/0 or ::/0 is applied to pods)`);
        }
        const nodes = rule.peers.filter((p) => p.type === 'nodes' && (Object.keys(p.nodeSelector.matchLabels).length > 0 || p.nodeSelector.matchExpressions.length > 0));
        if (nodes.length > 0) {
          problems.warning([...rule.path, 'to'], 'a `nodes` peer with a selector: node labels are not in manifests, so it is analysed as matching no node (`nodes: {}` matches every hostNetwork workload)');
        }
      }
    }
  }
  return { ...(spec ? { spec } : {}), problems: problemsOf(problems), specKey: spec ? canonicalJson(raw ?? {}) : '' };
}

function readService(sink: Sink, o: K8sObject): void {
  const { spec, problems } = (o.read ??= ((): ServiceRead => {
    const problems = new ProblemList();
    const spec = readServiceSpec(o.obj, problems);
    return { ...(spec ? { spec } : {}), problems: problemsOf(problems) };
  })()) as ServiceRead;
  const reason = reportProblems(sink, o, problems);
  if (reason || !spec) return skip(sink, { kind: o.kind, apiVersion: o.apiVersion, namespace: o.namespace, name: o.name, source: o.source }, reason ?? 'invalid');
  sink.services.push({ id: `${o.namespace}/${o.name}`, namespace: o.namespace, name: o.name, ...spec, source: o.source });
}

function readIngress(sink: Sink, o: K8sObject): void {
  const { backends, problems } = (o.read ??= ((): IngressRead => {
    const problems = new ProblemList();
    const backends = o.kind === 'Ingress' ? readIngressBackends(o.obj, problems) : readRouteBackends(o.obj, problems);
    return { backends, problems: problemsOf(problems) };
  })()) as IngressRead;
  const reason = reportProblems(sink, o, problems);
  if (reason) return skip(sink, { kind: o.kind, apiVersion: o.apiVersion, namespace: o.namespace, name: o.name, source: o.source }, reason);
  for (const b of backends) {
    sink.ingressBackends.push({
      kind: o.kind as IngressBackend['kind'],
      id: `${o.namespace}/${o.name}`,
      namespace: o.namespace,
      service: b.service,
      ...(b.port !== undefined ? { port: b.port } : {}),
      source: { ...o.source, line: lineOf(sink.texts, o.source, b.path) },
    });
  }
}

function readWorkload(sink: Sink, o: K8sObject): void {
  const expected = WORKLOAD_KINDS[o.kind]?.apiVersion;
  if (o.apiVersion !== expected) {
    report(sink, o.source, 'warning', `${o.kind} ${o.namespace}/${o.name}: apiVersion "${o.apiVersion}" is not ${expected}; not analysed`, ['apiVersion']);
    return skip(sink, { kind: o.kind, apiVersion: o.apiVersion, namespace: o.namespace, name: o.name, source: o.source }, `unknown apiVersion ${o.apiVersion}`);
  }
  const { template, owner, problems } = (o.read ??= ((): WorkloadRead => {
    const problems = new ProblemList();
    const template = readPodTemplate(o.obj, o.kind, problems);
    const owner = controllerOf(o.obj);
    return { ...(template ? { template } : {}), ...(owner ? { owner } : {}), problems: problemsOf(problems) };
  })()) as WorkloadRead;
  const reason = reportProblems(sink, o, problems);
  if (reason || !template) {
    return skip(sink, { kind: o.kind, apiVersion: o.apiVersion, namespace: o.namespace, name: o.name, source: o.source }, reason ?? 'invalid');
  }
  sink.candidates.push({ o, template, ...(owner ? { owner } : {}), file: sink.file });
}

/** The workload of a candidate that is neither managed by a loaded controller nor grouped (shared between builds). */
function ownWorkload(c: WorkloadCandidate): Workload {
  const { o, template } = c;
  return (o.built ??= {
    id: `${o.namespace}/${o.name}[${o.kind}]`,
    namespace: o.namespace,
    name: o.name,
    kind: o.kind,
    labels: template.labels,
    ports: template.ports,
    hostNetwork: template.hostNetwork,
    source: o.source,
  }) as Workload;
}

// ---------------------------------------------------------------------------------------------------------
// A full build.

function assembleCluster(input: BuildInput): Assembly {
  const { files, opts, texts, models, parseDiagnostics, documentCounts, optionsKey } = input;
  const sink = newSink(texts);
  const { diagnostics, skipped, policies, adminPolicies, services, ingressBackends, declared, candidates } = sink;
  let documentCount = 0;
  let derivable = true;
  const paths = new Set<string>();
  for (let i = 0; i < files.length; i++) {
    const path = files[i]!.path;
    if (paths.has(path)) derivable = false;
    paths.add(path);
    documentCount += documentCounts[i]!;
    const parsed = parseDiagnostics[i]!;
    if (parsed.length > 0) {
      diagnostics.push(...parsed);
      if (parsed.some((d) => d.file !== path)) derivable = false;
    }
  }

  // 2. Objects -> namespaces, policies, workload candidates, skipped.
  const n = models.length;
  const policiesAt = new Int32Array(n + 1);
  const servicesAt = new Int32Array(n + 1);
  const skippedAt = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    policiesAt[i] = policies.length;
    servicesAt[i] = services.length;
    skippedAt[i] = skipped.length;
    sink.file = i;
    classifyFile(sink, models[i]!);
  }
  policiesAt[n] = policies.length;
  servicesAt[n] = services.length;
  skippedAt[n] = skipped.length;

  // 3. Ownership: objects whose controller is loaded are that controller's pods; pods whose controller is
  // not loaded (a live dump of pods only) are grouped into one workload per controller.
  const workloads: Workload[] = [];
  const workloadsAt = new Int32Array(n + 1);
  let nextFile = 0;
  const ownerRefs = new Set<string>();
  const loaded = new Set(candidates.map((c) => `${c.o.namespace}/${c.o.name}[${c.o.kind}]`));
  const groups = new Map<string, { workload: Workload; first: WorkloadCandidate; ports: Map<string, Workload['ports'][number]> }>();
  for (const c of candidates) {
    while (nextFile <= c.file) workloadsAt[nextFile++] = workloads.length;
    const { o, template, owner } = c;
    const ownerId = owner ? `${o.namespace}/${owner.name}[${owner.kind}]` : undefined;
    if (ownerId) ownerRefs.add(ownerId);
    if (ownerId && loaded.has(ownerId)) {
      skip(sink, { kind: o.kind, apiVersion: o.apiVersion, namespace: o.namespace, name: o.name, source: o.source }, `managed by ${ownerId}`);
      continue;
    }
    if (!ownerId || !owner || o.kind !== 'Pod') {
      workloads.push(ownWorkload(c));
      continue;
    }
    const group = groups.get(ownerId);
    if (!group) {
      const workload: Workload = {
        id: ownerId,
        namespace: o.namespace,
        name: owner.name,
        kind: owner.kind,
        labels: template.labels,
        ports: [],
        hostNetwork: template.hostNetwork,
        source: o.source,
        podCount: 1,
      };
      const ports = new Map(template.ports.map((p) => [`${p.name ?? ''}/${p.port}/${p.protocol}`, p]));
      groups.set(ownerId, { workload, first: c, ports });
      workloads.push(workload);
      continue;
    }
    (group.workload as { podCount: number }).podCount += 1;
    for (const p of template.ports) group.ports.set(`${p.name ?? ''}/${p.port}/${p.protocol}`, p);
    if (!sameLabels(group.first.template.labels, template.labels)) {
      report(sink, o.source, 'warning', `Pod ${o.namespace}/${o.name} has labels ${formatLabels(template.labels)}, unlike Pod ${o.namespace}/${group.first.o.name} (${formatLabels(group.first.template.labels)}) of the same ${ownerId}; analysed with the labels of ${group.first.o.name}`, ['metadata', 'labels']);
    }
  }
  while (nextFile <= n) workloadsAt[nextFile++] = workloads.length;
  for (const g of groups.values()) (g.workload as { ports: Workload['ports'] }).ports = [...g.ports.values()];
  const usedNamespaces = new Set(sink.used.keys());
  for (const w of workloads) usedNamespaces.add(w.namespace);

  // 4. The assumed world: namespaces beyond the manifests (with a representative pod when the manifests have
  // none there), and the ingress controller that Ingresses and Routes send traffic from.
  const assumed = new Map<string, { labels: Labels; podLabels?: Labels; controller?: boolean }>();
  for (const [name, a] of Object.entries(opts.assumedNamespaces ?? {})) {
    assumed.set(name, { labels: a.labels ?? {}, ...(a.podLabels ? { podLabels: a.podLabels } : {}) });
  }
  let ingressController: Workload | undefined;
  if (ingressBackends.length > 0) {
    const onlyRoutes = ingressBackends.every((b) => b.kind === 'Route');
    const c: IngressControllerOptions = opts.ingressController ?? (onlyRoutes ? OPENSHIFT_ROUTER : NGINX_CONTROLLER);
    const a = assumed.get(c.namespace);
    assumed.set(c.namespace, { labels: { ...(c.namespaceLabels ?? {}), ...(a?.labels ?? {}) }, ...(a?.podLabels ? { podLabels: a.podLabels } : {}), controller: true });
    ingressController = {
      id: `${c.namespace}/${INGRESS_CONTROLLER_NAME}[IngressController]`,
      namespace: c.namespace,
      name: INGRESS_CONTROLLER_NAME,
      kind: 'IngressController',
      labels: c.labels ?? {},
      ports: [],
      hostNetwork: false,
      source: ingressBackends[0]!.source,
    };
    workloads.push(ingressController);
  }
  const withWorkloads = new Set(workloads.map((w) => w.namespace));
  for (const [name, a] of [...assumed].sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (a.controller && !a.podLabels) continue;
    if (withWorkloads.has(name) && !a.podLabels) continue;
    workloads.push({
      id: `${name}/${ASSUMED_PODS_NAME}[Assumed]`,
      namespace: name,
      name: ASSUMED_PODS_NAME,
      kind: 'Assumed',
      labels: a.podLabels ?? {},
      ports: [],
      hostNetwork: false,
      source: { file: '(assumed)', line: 0, doc: 0, path: [] },
    });
  }

  // 5. Namespaces: declared ones (manifests win over assumptions), assumed ones, and the ones only used, which
  // exist with just the automatic label.
  const namespaces = new Map<string, NamespaceInfo>();
  for (const name of [...new Set([...declared.keys(), ...usedNamespaces, ...assumed.keys()])].sort()) {
    const a = assumed.get(name);
    namespaces.set(name, declared.get(name) ?? undeclaredNamespace(name, a?.labels));
  }
  // Every namespace the assumed world adds to (its labels may still come from a Namespace manifest).
  const assumedNamespaces = [...assumed.keys()].sort();

  // 6. AdminNetworkPolicies in evaluation order; equal priorities are undefined upstream, so say where it matters.
  adminPolicies.sort((a, b) => a.priority! - b.priority! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 0; i < adminPolicies.length; i++) {
    for (let j = i + 1; j < adminPolicies.length && adminPolicies[j]!.priority === adminPolicies[i]!.priority; j++) {
      derivable = false;
      const [a, b] = [adminPolicies[i]!, adminPolicies[j]!];
      const both = workloads.find((w) => subjectSelects(a, w, namespaces) && subjectSelects(b, w, namespaces));
      if (!both) continue;
      report(sink, b.source, 'warning', `AdminNetworkPolicy ${b.name} has the same priority ${b.priority} as ${a.name} (${a.source.file}:${a.source.line}) and both select ${both.id}: their order is undefined; analysed in name order (${a.name} first)`, ['spec', 'priority']);
    }
  }

  diagnostics.sort(byFileAndLine);
  const cluster = makeCluster({
    namespaces,
    workloads,
    policies,
    adminPolicies,
    baselinePolicy: sink.baselinePolicy,
    services,
    ingressBackends,
    ingressController,
    assumedNamespaces,
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
    seen: new KeyIndex(sink.seen),
    dupPaths: sink.dupPaths,
    ownerRefs,
    used: sink.used,
    assumedNames: new Set(assumed.keys()),
    derivable,
    cluster,
    skippedParts: new Array<SkippedPart | undefined>(n),
  };
}

function undeclaredNamespace(name: string, assumedLabels: Labels | undefined): NamespaceInfo {
  return assumedLabels
    ? { name, labels: { ...assumedLabels, [AUTO_NAMESPACE_LABEL]: name }, declared: false, assumed: true }
    : { name, labels: { [AUTO_NAMESPACE_LABEL]: name }, declared: false };
}

function byFileAndLine(a: Diagnostic, b: Diagnostic): number {
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

function makeCluster(p: ClusterParts): Cluster {
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

// ---------------------------------------------------------------------------------------------------------
// A derived build: the cluster of a recent build with a few files removed, added or changed (the head of a
// pull request from its base). Exactly what a full build gives, when every change is local to its files:
// the changed files (before and after) hold no namespace, admin policy, Ingress or Route, no object defined
// twice anywhere and no new duplicate, and no workload that names a controller, is named as one, or lives in
// an assumed namespace. Anything else is built from scratch.

/** At most this many changed files (and at most a quarter of them, or 8) are derived rather than built. */
const DERIVE_MAX_CHANGES = 512;

function indexOnce(models: readonly FileModel[]): () => ReadonlyMap<FileModel, number> {
  let index: Map<FileModel, number> | undefined;
  return () => (index ??= new Map(models.map((m, i) => [m, i])));
}

/** The recent build the input differs least from, if any may be derived from. */
function closestPrior(input: BuildInput): Assembly | undefined {
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

function deriveCluster(prior: Assembly, input: BuildInput): Assembly | undefined {
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

/** No problems: one list kept by every reading without any (most of them), not an empty list each. */
const NO_PROBLEMS: readonly Problem[] = [];

function problemsOf(problems: ProblemList): readonly Problem[] {
  return problems.items.length === 0 ? NO_PROBLEMS : problems.items;
}

/** The spec of a NetworkPolicy, its problems, and its canonical text (equal for equal specs). */
function readPolicy(raw: unknown): PolicyRead {
  const problems = new ProblemList();
  const spec = readPolicySpec(raw, problems);
  return new PolicyReading(spec, problemsOf(problems), raw);
}

class PolicyReading implements PolicyRead {
  #key: string | undefined;

  constructor(
    readonly spec: PolicySpec | undefined,
    readonly problems: readonly Problem[],
    private readonly raw: unknown,
  ) {}

  /** Read only for a policy whose record differs between the sides of a diff: computed then. */
  get specKey(): string {
    return (this.#key ??= this.spec ? canonicalJson(this.raw ?? {}) : '');
  }
}

function skippedRecord(o: { kind: string; apiVersion?: string; namespace?: string; name?: string; source: SourceRef }, reason: string): SkippedObject {
  return {
    kind: o.kind,
    ...(o.apiVersion !== undefined ? { apiVersion: o.apiVersion } : {}),
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    ...(o.name !== undefined ? { name: o.name } : {}),
    reason,
    source: o.source,
  };
}

function subjectSelects(p: AdminNetworkPolicy, w: Workload, namespaces: ReadonlyMap<string, NamespaceInfo>): boolean {
  if (w.hostNetwork) return false;
  const nsLabels = namespaces.get(w.namespace)?.labels ?? { [AUTO_NAMESPACE_LABEL]: w.namespace };
  return compileSelector(p.subject.namespaceSelector)(nsLabels) && (!p.subject.podSelector || compileSelector(p.subject.podSelector)(w.labels));
}

function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (typeof x === 'string' || typeof y === 'string' || x.family !== y.family) return false;
  const [wide, narrow] = x.prefix <= y.prefix ? [x, y] : [y, x];
  return narrow.address.match(wide.address as never, wide.prefix);
}

/** The ownerReference with `controller: true`, if any. */
function controllerOf(obj: RawObject): Owner | undefined {
  const metadata = isObject(obj.metadata) ? obj.metadata : {};
  const refs = Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences : [];
  for (const ref of refs) {
    if (isObject(ref) && ref.controller === true && typeof ref.kind === 'string' && typeof ref.name === 'string') {
      return { kind: ref.kind, name: ref.name };
    }
  }
  return undefined;
}

function sameLabels(a: Labels, b: Labels): boolean {
  const keys = (l: Labels): string[] => Object.keys(l).filter((k) => !PER_POD_LABELS.has(k)).sort();
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

function formatLabels(l: Labels): string {
  return `{${Object.entries(l).map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}
