// Objects -> model records: namespaces, policies, services, ingress backends, workload candidates and skipped
// objects, with their diagnostics. The same code for a full build and for the changed files of a derived one.
import type { AdminNetworkPolicy, Diagnostic, IngressBackend, NamespaceInfo, NetworkPolicy, Service, SkippedObject, SourceRef, Workload } from './model.js';
import { AUTO_NAMESPACE_LABEL } from './model.js';
import { readIngressBackends, readRouteBackends, readServiceSpec } from './serviceSpec.js';
import { lineOf } from './locate.js';
import type { ListItem } from './listItems.js';
import { isObject, ProblemList, type Problem } from './problems.js';
import { readLabels } from './labels.js';
import type { PolicySpec } from './policySpec.js';
import { readPodTemplate, WORKLOAD_KINDS, type PodTemplate } from './podTemplate.js';
import { ADMIN_KINDS, type FileModel, type K8sObject } from './fileModel.js';
import { KeyTree } from './keyIndex.js';
import {
  controllerOf,
  problemsOf,
  readAdmin,
  readPolicy,
  type AdminRead,
  type IngressRead,
  type Owner,
  type PolicyRead,
  type ServiceRead,
  type WorkloadRead,
} from './objectReads.js';

const ADMIN_API = 'policy.networking.k8s.io/v1alpha1';

export interface WorkloadCandidate {
  readonly o: K8sObject;
  readonly template: PodTemplate;
  readonly owner?: Owner;
  /** The index of its file in the build. */
  readonly file: number;
}

/**
 * Where classifying objects puts what it finds. A full build has one sink for every file; a derived build
 * one for the changed files. `file` is the index of the file being classified (candidates carry it).
 */
export interface Sink {
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

export function newSink(texts: ReadonlyMap<string, string>): Sink {
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

export function report(sink: Sink, source: SourceRef, severity: Diagnostic['severity'], message: string, path: readonly (string | number)[] = []): void {
  sink.diagnostics.push({ file: source.file, line: path.length > 0 ? lineOf(sink.texts, source, path) : source.line, severity, message });
}

export function skip(sink: Sink, o: { kind: string; apiVersion?: string; namespace?: string; name?: string; source: SourceRef }, reason: string): void {
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

export function classifyFile(sink: Sink, model: FileModel): void {
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
export function usedNamespaceOf(o: K8sObject): string | undefined {
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
export function ownWorkload(c: WorkloadCandidate): Workload {
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
