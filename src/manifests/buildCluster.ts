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
  /** The duplicate-detection key: kind, namespace (none for cluster-scoped kinds) and name. */
  readonly key: string;
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
  const model: FileModel = { path, defaultNamespace, items, objects: items.map((item) => identify(item, defaultNamespace)) };
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

/** The objects of the documents of one file, with their sources. */
function objectsOf(path: string, documents: readonly RawDocument[], texts: ReadonlyMap<string, string>): readonly ListItem[] {
  const out: ListItem[] = [];
  for (const d of documents) {
    const source: SourceRef = { file: path, line: d.line, doc: d.doc, path: [] };
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
  return { obj: value, kind, apiVersion, name, namespace, explicitNamespace, source, key: `${kind}/${clusterScoped ? '' : namespace}/${name}`, clusterScoped };
}

/**
 * The last clusters built, by their inputs: the merge base of a pull request is built again on every push
 * and every command from the same parsed files (parse cache hits keep their documents), and then the cluster
 * built before is the answer. Base and head alternate, so two are kept. Clusters are read-only.
 */
const RECENT_CLUSTERS = 2;
const recentClusters: { readonly models: readonly FileModel[]; readonly optionsKey: string; readonly cluster: Cluster }[] = [];

function sameModels(a: readonly FileModel[], b: readonly FileModel[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function buildCluster(files: ManifestFile[], opts: LoadOptions = {}): Cluster {
  const defaultNamespace = opts.defaultNamespace ?? 'default';
  const texts = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const skipped: SkippedObject[] = [];
  const policies: NetworkPolicy[] = [];
  const adminPolicies: AdminNetworkPolicy[] = [];
  let baselinePolicy: AdminNetworkPolicy | undefined;
  const services: Service[] = [];
  const ingressBackends: IngressBackend[] = [];
  const declared = new Map<string, NamespaceInfo>();
  const usedNamespaces = new Set<string>();
  const candidates: WorkloadCandidate[] = [];
  const seen = new Map<string, SourceRef>();
  let documentCount = 0;

  const report = (source: SourceRef, severity: Diagnostic['severity'], message: string, path: readonly (string | number)[] = []): void => {
    diagnostics.push({ file: source.file, line: path.length > 0 ? lineOf(texts, source, path) : source.line, severity, message });
  };
  const skip = (o: { kind: string; apiVersion?: string; namespace?: string; name?: string; source: SourceRef }, reason: string): void => {
    skipped.push(skippedRecord(o, reason));
  };
  /** Reports the problems of one object; returns the skip reason when there are errors. */
  const reportProblems = (o: K8sObject, problems: readonly Problem[]): string | undefined => {
    if (problems.length === 0) return undefined;
    const label = o.kind === 'Namespace' || ADMIN_KINDS.has(o.kind) ? `${o.kind} ${o.name}` : `${o.kind} ${o.namespace}/${o.name}`;
    let firstError: string | undefined;
    for (const p of problems) {
      if (p.severity === 'error') {
        firstError ??= p.message;
        report(o.source, 'error', `${label} not analysed: ${p.message}`, p.path);
      } else {
        report(o.source, 'warning', `${label}: ${p.message}`, p.path);
      }
    }
    if (firstError === undefined) return undefined;
    const more = problems.filter((p) => p.severity === 'error').length - 1;
    return `invalid: ${firstError}${more > 0 ? ` (and ${more} more)` : ''}`;
  };

  for (const file of files) texts.set(file.path, file.text);

  // 1. Files -> documents -> objects (lists flattened). The same documents (a parse cache hit) at the same
  // path give the same objects and sources.
  const models: FileModel[] = [];
  for (const file of files) {
    const parsed = parseFile(file);
    documentCount += parsed.documentCount;
    if (parsed.diagnostics.length > 0) diagnostics.push(...parsed.diagnostics);
    models.push(fileModel(parsed.documents, file.path, defaultNamespace, texts));
  }
  const optionsKey = JSON.stringify([opts.ingressController ?? null, opts.assumedNamespaces ?? null]);
  const at = recentClusters.findIndex((r) => r.optionsKey === optionsKey && sameModels(r.models, models));
  if (at >= 0) {
    const [again] = recentClusters.splice(at, 1);
    recentClusters.unshift(again!);
    return again!.cluster;
  }

  // 2. Objects -> namespaces, policies, workload candidates, skipped.
  for (const { items, objects } of models) {
    for (let i = 0; i < items.length; i++) {
      const o = objects[i];
      if (o !== undefined) classify(o);
      else notAnObject(items[i]!);
    }
  }

  /** Says why an item is not a named Kubernetes object. */
  function notAnObject(item: ListItem): void {
    const { value, source } = item;
    if (!isObject(value)) {
      skip({ kind: '(not an object)', source }, 'not a Kubernetes object');
      return;
    }
    const kind = typeof value.kind === 'string' ? value.kind : item.kind;
    const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : item.apiVersion;
    if (!kind || !apiVersion) {
      skip({ kind: kind ?? '(none)', source }, 'not a Kubernetes object (no apiVersion or kind)');
      return;
    }
    report(source, 'error', `${kind} without metadata.name; not analysed`, ['metadata']);
    skip({ kind, apiVersion, source }, 'missing metadata.name');
  }

  function classify(o: K8sObject): void {
    const { kind, apiVersion, name, namespace, explicitNamespace, source, key, clusterScoped } = o;
    const first = seen.get(key);
    if (first) {
      const shownName = clusterScoped ? name : `${namespace}/${name}`;
      report(source, 'error', `${kind} ${shownName} is defined twice: first at ${first.file}:${first.line}, again here; this one is skipped`);
      skip({ kind, apiVersion, namespace: clusterScoped ? undefined : namespace, name, source }, `duplicate of ${first.file}:${first.line}`);
      return;
    }
    seen.set(key, source);

    if (kind === 'Namespace') {
      readNamespace(o);
    } else if (ADMIN_KINDS.has(kind)) {
      readAdminPolicy(o);
    } else if (kind === 'NetworkPolicy') {
      usedNamespaces.add(namespace);
      addPolicy(o);
    } else if (kind === 'Service' && apiVersion === 'v1') {
      usedNamespaces.add(namespace);
      readService(o);
    } else if ((kind === 'Ingress' && apiVersion === 'networking.k8s.io/v1') || (kind === 'Route' && apiVersion === 'route.openshift.io/v1')) {
      usedNamespaces.add(namespace);
      readIngress(o);
    } else if (kind in WORKLOAD_KINDS) {
      usedNamespaces.add(namespace);
      readWorkload(o);
    } else {
      if (explicitNamespace) usedNamespaces.add(namespace);
      // The same record for every build from these documents (most objects of a large repository are these).
      skipped.push((o.built ??= skippedRecord({ kind, apiVersion, namespace: explicitNamespace ? namespace : undefined, name, source }, 'not modelled')) as SkippedObject);
    }
  }

  function readNamespace(o: K8sObject): void {
    if (o.apiVersion !== 'v1') {
      report(o.source, 'error', `Namespace ${o.name}: unknown apiVersion "${o.apiVersion}"; skipped`);
      return skip({ kind: o.kind, apiVersion: o.apiVersion, name: o.name, source: o.source }, `unknown apiVersion ${o.apiVersion}`);
    }
    const problems = new ProblemList();
    const metadata = isObject(o.obj.metadata) ? o.obj.metadata : {};
    const labels: Record<string, string> = { ...(readLabels(metadata.labels, ['metadata', 'labels'], problems) ?? {}) };
    const reason = reportProblems(o, problems.items);
    if (reason) return skip({ kind: o.kind, apiVersion: o.apiVersion, name: o.name, source: o.source }, reason);
    // The API server always sets kubernetes.io/metadata.name to the name, over any value written.
    const written = labels[AUTO_NAMESPACE_LABEL];
    if (written !== undefined && written !== o.name) {
      report(o.source, 'warning', `Namespace ${o.name}: label ${AUTO_NAMESPACE_LABEL}=${written} is replaced by ${o.name}, as the API server does`, ['metadata', 'labels', AUTO_NAMESPACE_LABEL]);
    }
    labels[AUTO_NAMESPACE_LABEL] = o.name;
    declared.set(o.name, { name: o.name, labels, declared: true, source: o.source });
  }

  function addPolicy(o: K8sObject): void {
    const id = `${o.namespace}/${o.name}`;
    const skipped = (reason: string): void =>
      skip({ kind: o.kind, apiVersion: o.apiVersion, namespace: o.namespace, name: o.name, source: o.source }, reason);
    if (o.apiVersion === 'extensions/v1beta1') {
      report(o.source, 'warning', `NetworkPolicy ${id}: apiVersion extensions/v1beta1 is deprecated, analysed as networking.k8s.io/v1`, ['apiVersion']);
    } else if (o.apiVersion !== 'networking.k8s.io/v1') {
      report(o.source, 'error', `NetworkPolicy ${id}: unknown apiVersion "${o.apiVersion}"; not analysed`, ['apiVersion']);
      return skipped(`unknown apiVersion ${o.apiVersion}`);
    }
    const read = (o.read ??= readPolicy(o.obj.spec)) as PolicyRead;
    const reason = reportProblems(o, read.problems);
    if (reason || !read.spec) return skipped(reason ?? 'invalid');
    const spec = read.spec;
    policies.push(
      (o.built ??= {
        id,
        namespace: o.namespace,
        name: o.name,
        ...spec,
        source: o.source,
        get specKey(): string {
          return read.specKey;
        },
      }) as NetworkPolicy,
    );
  }

  function readAdminPolicy(o: K8sObject): void {
    const tier = o.kind === 'AdminNetworkPolicy' ? 'admin' : 'baseline';
    const skipped = (reason: string): void => skip({ kind: o.kind, apiVersion: o.apiVersion, name: o.name, source: o.source }, reason);
    if (o.apiVersion !== ADMIN_API) {
      report(o.source, 'error', `${o.kind} ${o.name}: unknown apiVersion "${o.apiVersion}" (expected ${ADMIN_API}); not analysed`, ['apiVersion']);
      return skipped(`unknown apiVersion ${o.apiVersion}`);
    }
    if (o.explicitNamespace) {
      report(o.source, 'warning', `${o.kind} ${o.name} is cluster-scoped: metadata.namespace "${o.namespace}" is ignored`, ['metadata', 'namespace']);
    }
    const problems = new ProblemList();
    // BaselineAdminNetworkPolicy is a singleton: the CRD only admits the name `default`.
    if (tier === 'baseline' && o.name !== 'default') problems.error(['metadata', 'name'], `Only one baseline admin network policy with metadata.name="default" can be created in the cluster`);
    const read = (o.read ??= readAdmin(o.obj.spec, tier)) as AdminRead;
    problems.items.push(...read.problems);
    const reason = reportProblems(o, problems.items);
    if (reason || !read.spec) return skipped(reason ?? 'invalid');
    const policy: AdminNetworkPolicy = { tier, id: o.name, name: o.name, ...read.spec, source: o.source, specKey: read.specKey };
    if (tier === 'admin') adminPolicies.push(policy);
    else baselinePolicy = policy;
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
    return { ...(spec ? { spec } : {}), problems: problems.items, specKey: spec ? canonicalJson(raw ?? {}) : '' };
  }

  function readService(o: K8sObject): void {
    const { spec, problems } = (o.read ??= ((): ServiceRead => {
      const problems = new ProblemList();
      const spec = readServiceSpec(o.obj, problems);
      return { ...(spec ? { spec } : {}), problems: problems.items };
    })()) as ServiceRead;
    const reason = reportProblems(o, problems);
    if (reason || !spec) return skip({ kind: o.kind, apiVersion: o.apiVersion, namespace: o.namespace, name: o.name, source: o.source }, reason ?? 'invalid');
    services.push({ id: `${o.namespace}/${o.name}`, namespace: o.namespace, name: o.name, ...spec, source: o.source });
  }

  function readIngress(o: K8sObject): void {
    const { backends, problems } = (o.read ??= ((): IngressRead => {
      const problems = new ProblemList();
      const backends = o.kind === 'Ingress' ? readIngressBackends(o.obj, problems) : readRouteBackends(o.obj, problems);
      return { backends, problems: problems.items };
    })()) as IngressRead;
    const reason = reportProblems(o, problems);
    if (reason) return skip({ kind: o.kind, apiVersion: o.apiVersion, namespace: o.namespace, name: o.name, source: o.source }, reason);
    for (const b of backends) {
      ingressBackends.push({
        kind: o.kind as IngressBackend['kind'],
        id: `${o.namespace}/${o.name}`,
        namespace: o.namespace,
        service: b.service,
        ...(b.port !== undefined ? { port: b.port } : {}),
        source: { ...o.source, line: lineOf(texts, o.source, b.path) },
      });
    }
  }

  function readWorkload(o: K8sObject): void {
    const expected = WORKLOAD_KINDS[o.kind]?.apiVersion;
    if (o.apiVersion !== expected) {
      report(o.source, 'warning', `${o.kind} ${o.namespace}/${o.name}: apiVersion "${o.apiVersion}" is not ${expected}; not analysed`, ['apiVersion']);
      return skip({ kind: o.kind, apiVersion: o.apiVersion, namespace: o.namespace, name: o.name, source: o.source }, `unknown apiVersion ${o.apiVersion}`);
    }
    const { template, owner, problems } = (o.read ??= ((): WorkloadRead => {
      const problems = new ProblemList();
      const template = readPodTemplate(o.obj, o.kind, problems);
      const owner = controllerOf(o.obj);
      return { ...(template ? { template } : {}), ...(owner ? { owner } : {}), problems: problems.items };
    })()) as WorkloadRead;
    const reason = reportProblems(o, problems);
    if (reason || !template) {
      return skip({ kind: o.kind, apiVersion: o.apiVersion, namespace: o.namespace, name: o.name, source: o.source }, reason ?? 'invalid');
    }
    candidates.push({ o, template, ...(owner ? { owner } : {}) });
  }

  // 3. Ownership: objects whose controller is loaded are that controller's pods; pods whose controller is
  // not loaded (a live dump of pods only) are grouped into one workload per controller.
  const workloads: Workload[] = [];
  const loaded = new Set(candidates.map((c) => `${c.o.namespace}/${c.o.name}[${c.o.kind}]`));
  const groups = new Map<string, { workload: Workload; first: WorkloadCandidate; ports: Map<string, Workload['ports'][number]> }>();
  for (const c of candidates) {
    const { o, template, owner } = c;
    const ownerId = owner ? `${o.namespace}/${owner.name}[${owner.kind}]` : undefined;
    if (ownerId && loaded.has(ownerId)) {
      skip({ kind: o.kind, apiVersion: o.apiVersion, namespace: o.namespace, name: o.name, source: o.source }, `managed by ${ownerId}`);
      continue;
    }
    if (!ownerId || !owner || o.kind !== 'Pod') {
      workloads.push(
        (o.built ??= {
          id: `${o.namespace}/${o.name}[${o.kind}]`,
          namespace: o.namespace,
          name: o.name,
          kind: o.kind,
          labels: template.labels,
          ports: template.ports,
          hostNetwork: template.hostNetwork,
          source: o.source,
        }) as Workload,
      );
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
      report(o.source, 'warning', `Pod ${o.namespace}/${o.name} has labels ${formatLabels(template.labels)}, unlike Pod ${o.namespace}/${group.first.o.name} (${formatLabels(group.first.template.labels)}) of the same ${ownerId}; analysed with the labels of ${group.first.o.name}`, ['metadata', 'labels']);
    }
  }
  for (const g of groups.values()) (g.workload as { ports: Workload['ports'] }).ports = [...g.ports.values()];
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
    const info: NamespaceInfo =
      declared.get(name) ??
      (a
        ? { name, labels: { ...a.labels, [AUTO_NAMESPACE_LABEL]: name }, declared: false, assumed: true }
        : { name, labels: { [AUTO_NAMESPACE_LABEL]: name }, declared: false });
    namespaces.set(name, info);
  }
  // Every namespace the assumed world adds to (its labels may still come from a Namespace manifest).
  const assumedNamespaces = [...assumed.keys()].sort();

  // 6. AdminNetworkPolicies in evaluation order; equal priorities are undefined upstream, so say where it matters.
  adminPolicies.sort((a, b) => a.priority! - b.priority! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 0; i < adminPolicies.length; i++) {
    for (let j = i + 1; j < adminPolicies.length && adminPolicies[j]!.priority === adminPolicies[i]!.priority; j++) {
      const [a, b] = [adminPolicies[i]!, adminPolicies[j]!];
      const both = workloads.find((w) => subjectSelects(a, w, namespaces) && subjectSelects(b, w, namespaces));
      if (!both) continue;
      report(b.source, 'warning', `AdminNetworkPolicy ${b.name} has the same priority ${b.priority} as ${a.name} (${a.source.file}:${a.source.line}) and both select ${both.id}: their order is undefined; analysed in name order (${a.name} first)`, ['spec', 'priority']);
    }
  }

  diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const cluster: Cluster = {
    namespaces,
    workloads,
    policies,
    ...(adminPolicies.length > 0 ? { adminPolicies } : {}),
    ...(baselinePolicy ? { baselinePolicy } : {}),
    ...(services.length > 0 ? { services } : {}),
    ...(ingressBackends.length > 0 ? { ingressBackends } : {}),
    ...(ingressController ? { ingressController } : {}),
    ...(assumedNamespaces.length > 0 ? { assumedNamespaces } : {}),
    skipped,
    diagnostics,
    fileCount: files.length,
    documentCount,
    texts,
  };
  recentClusters.unshift({ models, optionsKey, cluster });
  recentClusters.length = Math.min(recentClusters.length, RECENT_CLUSTERS);
  return cluster;
}

/** The spec of a NetworkPolicy, its problems, and its canonical text (equal for equal specs). */
function readPolicy(raw: unknown): PolicyRead {
  const problems = new ProblemList();
  const spec = readPolicySpec(raw, problems);
  // The key is read only for a policy whose record differs between the sides of a diff: computed then.
  let key: string | undefined;
  return {
    ...(spec ? { spec } : {}),
    problems: problems.items,
    get specKey(): string {
      return (key ??= spec ? canonicalJson(raw ?? {}) : '');
    },
  };
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
