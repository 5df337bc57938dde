// A full build: every file classified, then ownership, the assumed world, namespaces and admin policy order.
import type { AdminNetworkPolicy, IngressControllerOptions, Labels, NamespaceInfo, Workload } from './model.js';
import { ASSUMED_PODS_NAME, AUTO_NAMESPACE_LABEL, INGRESS_CONTROLLER_NAME } from './model.js';
import { compileSelector } from '../engine/labelSelector.js';
import { KeyIndex } from './keyIndex.js';
import { classifyFile, newSink, ownWorkload, report, skip, type WorkloadCandidate } from './classifyObjects.js';
import { byFileAndLine, makeCluster, pathIndexOnce, UseCounts, undeclaredNamespace, type Assembly, type BuildInput, type SkippedPart } from './clusterAssembly.js';

/** The ingress-nginx Helm chart's controller pods and namespace. */
const NGINX_CONTROLLER = { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } };
/** OpenShift's router: policies admit it with namespaceSelector network.openshift.io/policy-group=ingress. */
const OPENSHIFT_ROUTER = {
  namespace: 'openshift-ingress',
  labels: { 'ingresscontroller.operator.openshift.io/deployment-ingresscontroller': 'default' },
  namespaceLabels: { 'network.openshift.io/policy-group': 'ingress' },
};

/** Labels that differ from pod to pod of one controller by design; ignored when comparing pods. */
const PER_POD_LABELS = new Set(['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']);

export function assembleCluster(input: BuildInput): Assembly {
  const { files, opts, texts, models, optionsKey } = input;
  const sink = newSink(texts);
  const { diagnostics, skipped, policies, adminPolicies, services, ingressBackends, declared, candidates } = sink;
  let documentCount = 0;
  let derivable = true;
  const paths = new Set<string>();
  for (let i = 0; i < files.length; i++) {
    const path = files[i]!.path;
    if (paths.has(path)) derivable = false;
    paths.add(path);
    documentCount += models[i]!.documentCount;
    const parsed = models[i]!.parseDiagnostics;
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
    files,
    texts,
    models,
    pathIndex: pathIndexOnce(files),
    policiesAt,
    servicesAt,
    skippedAt,
    workloadsAt,
    seen: new KeyIndex(sink.seen),
    dupPaths: sink.dupPaths,
    ownerRefs,
    used: new UseCounts(sink.used),
    assumedNames: new Set(assumed.keys()),
    derivable,
    cluster,
    skippedParts: new Array<SkippedPart | undefined>(n),
  };
}

function subjectSelects(p: AdminNetworkPolicy, w: Workload, namespaces: ReadonlyMap<string, NamespaceInfo>): boolean {
  if (w.hostNetwork) return false;
  const nsLabels = namespaces.get(w.namespace)?.labels ?? { [AUTO_NAMESPACE_LABEL]: w.namespace };
  return compileSelector(p.subject.namespaceSelector)(nsLabels) && (!p.subject.podSelector || compileSelector(p.subject.podSelector)(w.labels));
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
