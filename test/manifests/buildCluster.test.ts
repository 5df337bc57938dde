import { describe, expect, it } from 'vitest';
import { buildCluster } from '../../src/manifests/buildCluster.js';
import type { ContainerPort, Workload } from '../../src/manifests/model.js';

const load = (text: string, path = 'm.yaml') => buildCluster([{ path, text }]);

const podSpec = `
    spec:
      initContainers:
      - name: init
        ports: [{containerPort: 9000, name: init-port}]
      containers:
      - name: c
        ports:
        - {containerPort: 8080, name: http}
        - {containerPort: 53, protocol: UDP}`;
const templated = (kind: string, apiVersion: string) =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: w, namespace: ns}\nspec:\n  template:\n    metadata:\n      labels: {app: w}${podSpec}\n`;
const PORTS: ContainerPort[] = [
  { name: 'init-port', port: 9000, protocol: 'TCP' },
  { name: 'http', port: 8080, protocol: 'TCP' },
  { port: 53, protocol: 'UDP' },
];

describe('namespaces', () => {
  it('a declared Namespace has its labels plus kubernetes.io/metadata.name', () => {
    const c = load('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels: {env: prod}\n');
    expect([...c.namespaces.values()]).toEqual([
      { name: 'team', labels: { env: 'prod', 'kubernetes.io/metadata.name': 'team' }, declared: true, source: { file: 'm.yaml', line: 1, doc: 0, path: [] } },
    ]);
    expect(c.diagnostics).toEqual([]);
  });

  it('the automatic kubernetes.io/metadata.name label wins over a written one, with a warning', () => {
    const c = load('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels:\n    kubernetes.io/metadata.name: other\n');
    expect(c.namespaces.get('team')?.labels).toEqual({ 'kubernetes.io/metadata.name': 'team' });
    expect(c.diagnostics).toEqual([
      { file: 'm.yaml', line: 6, severity: 'warning', message: 'Namespace team: label kubernetes.io/metadata.name=other is replaced by team, as the API server does' },
    ]);
  });

  it('namespaces used but not declared exist with the automatic label only; objects without namespace go to default', () => {
    const c = load('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: zz}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: svc-only}\n');
    expect([...c.namespaces.values()]).toEqual([
      { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' }, declared: false },
      { name: 'svc-only', labels: { 'kubernetes.io/metadata.name': 'svc-only' }, declared: false },
      { name: 'zz', labels: { 'kubernetes.io/metadata.name': 'zz' }, declared: false },
    ]);
    expect(c.workloads.map((w) => w.id)).toEqual(['default/a[Pod]', 'zz/b[Pod]']);
  });

  it('opts.defaultNamespace replaces default', () => {
    const c = buildCluster([{ path: 'm.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n' }], { defaultNamespace: 'dev' });
    expect(c.workloads[0]?.id).toBe('dev/a[Pod]');
    expect([...c.namespaces.keys()]).toEqual(['dev']);
  });
});

describe('workloads: labels of the pod template, ports of containers and initContainers, hostNetwork', () => {
  it.each([
    ['Deployment', 'apps/v1'],
    ['ReplicaSet', 'apps/v1'],
    ['StatefulSet', 'apps/v1'],
    ['DaemonSet', 'apps/v1'],
    ['Job', 'batch/v1'],
    ['ReplicationController', 'v1'],
  ])('%s (%s)', (kind, apiVersion) => {
    const c = load(templated(kind, apiVersion));
    expect(c.diagnostics).toEqual([]);
    expect(c.workloads).toEqual<Workload[]>([
      { id: `ns/w[${kind}]`, namespace: 'ns', name: 'w', kind, labels: { app: 'w' }, ports: PORTS, hostNetwork: false, source: { file: 'm.yaml', line: 1, doc: 0, path: [] } },
    ]);
  });

  it('CronJob (batch/v1): spec.jobTemplate.spec.template', () => {
    const c = load('apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj, namespace: ns}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {job: cj}}\n        spec:\n          hostNetwork: true\n          containers: [{name: c}]\n');
    expect(c.workloads).toEqual([
      { id: 'ns/cj[CronJob]', namespace: 'ns', name: 'cj', kind: 'CronJob', labels: { job: 'cj' }, ports: [], hostNetwork: true, source: { file: 'm.yaml', line: 1, doc: 0, path: [] } },
    ]);
  });

  it('Pod (v1): metadata.labels and spec', () => {
    const c = load(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ns\n  labels: {app: p}\nspec:\n  hostNetwork: true\n  containers: [{name: c, ports: [{containerPort: 80}]}]\n`);
    expect(c.workloads).toEqual([
      { id: 'ns/p[Pod]', namespace: 'ns', name: 'p', kind: 'Pod', labels: { app: 'p' }, ports: [{ port: 80, protocol: 'TCP' }], hostNetwork: true, source: { file: 'm.yaml', line: 1, doc: 0, path: [] } },
    ]);
  });

  it.each([
    ['containerPort out of range', 'ports: [{containerPort: 70000}]', 'Pod ns/p not analysed: spec.containers[0].ports[0].containerPort: 70000: must be between 1 and 65535, inclusive'],
    ['bad port name', 'ports: [{containerPort: 80, name: HTTP}]', `Pod ns/p not analysed: spec.containers[0].ports[0].name: "HTTP": must contain only lowercase alphanumeric characters or '-'; must contain at least one letter`],
    ['bad protocol', 'ports: [{containerPort: 80, protocol: ICMP}]', 'Pod ns/p not analysed: spec.containers[0].ports[0].protocol: unsupported value "ICMP": supported values: "TCP", "UDP", "SCTP"'],
  ])('a workload the API server would reject is skipped: %s', (_n, ports, message) => {
    const c = load(`apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  containers:\n  - name: c\n    ${ports}\n`);
    expect(c.workloads).toEqual([]);
    expect(c.diagnostics).toEqual([{ file: 'm.yaml', line: 7, severity: 'error', message }]);
    expect(c.skipped[0]?.reason).toBe(`invalid: ${message.replace('Pod ns/p not analysed: ', '')}`);
  });

  it('an unexpected apiVersion for a workload kind is skipped with a warning', () => {
    const c = load(templated('Deployment', 'apps/v1beta2'));
    expect(c.workloads).toEqual([]);
    expect(c.diagnostics).toEqual([
      { file: 'm.yaml', line: 1, severity: 'warning', message: 'Deployment ns/w: apiVersion "apps/v1beta2" is not apps/v1; not analysed' },
    ]);
    expect(c.skipped.map((s) => s.reason)).toEqual(['unknown apiVersion apps/v1beta2']);
  });
});

const pod = (name: string, owner: string | undefined, labels: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ns\n  labels: ${labels}\n` +
  (owner ? `  ownerReferences:\n  - {apiVersion: apps/v1, kind: ${owner.split('/')[0]}, name: ${owner.split('/')[1]}, controller: true, uid: u}\n` : '') +
  `spec:\n  containers: [{name: c${extra}}]\n`;

describe('controller ownership', () => {
  it('pods with a controller ownerReference are grouped into one workload with podCount', () => {
    const c = load([pod('web-1', 'ReplicaSet/web', '{app: web}', ', ports: [{containerPort: 80}]'), pod('web-2', 'ReplicaSet/web', '{app: web}', ', ports: [{containerPort: 81}]'), pod('solo', undefined, '{app: solo}')].join('---\n'));
    expect(c.workloads).toEqual([
      { id: 'ns/web[ReplicaSet]', namespace: 'ns', name: 'web', kind: 'ReplicaSet', labels: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }], hostNetwork: false, source: { file: 'm.yaml', line: 1, doc: 0, path: [] }, podCount: 2 },
      { id: 'ns/solo[Pod]', namespace: 'ns', name: 'solo', kind: 'Pod', labels: { app: 'solo' }, ports: [], hostNetwork: false, source: { file: 'm.yaml', line: 23, doc: 2, path: [] } },
    ]);
    expect(c.diagnostics).toEqual([]);
  });

  it('an ownerReference without controller: true does not group', () => {
    const c = load(pod('p', undefined, '{a: b}').replace('  labels:', '  ownerReferences: [{kind: ReplicaSet, name: rs, controller: false}]\n  labels:'));
    expect(c.workloads.map((w) => w.id)).toEqual(['ns/p[Pod]']);
  });

  it('pods of one owner with different labels: a warning naming both', () => {
    const c = load([pod('web-1', 'ReplicaSet/web', '{app: web}'), pod('web-2', 'ReplicaSet/web', '{app: other}')].join('---\n'));
    expect(c.workloads.map((w) => [w.id, w.labels, w.podCount])).toEqual([['ns/web[ReplicaSet]', { app: 'web' }, 2]]);
    expect(c.diagnostics).toEqual([
      { file: 'm.yaml', line: 17, severity: 'warning', message: 'Pod ns/web-2 has labels {app=other}, unlike Pod ns/web-1 ({app=web}) of the same ns/web[ReplicaSet]; analysed with the labels of web-1' },
    ]);
  });

  it('per-pod StatefulSet labels do not count as different labels', () => {
    const c = load([
      pod('db-0', 'StatefulSet/db', '{app: db, statefulset.kubernetes.io/pod-name: db-0, apps.kubernetes.io/pod-index: "0"}'),
      pod('db-1', 'StatefulSet/db', '{app: db, statefulset.kubernetes.io/pod-name: db-1, apps.kubernetes.io/pod-index: "1"}'),
    ].join('---\n'));
    expect(c.diagnostics).toEqual([]);
    expect(c.workloads.map((w) => [w.id, w.podCount])).toEqual([['ns/db[StatefulSet]', 2]]);
  });

  it('pods whose owner is loaded are not a separate workload; nor is a ReplicaSet of a loaded Deployment', () => {
    const rs = templated('ReplicaSet', 'apps/v1').replace('name: w, namespace: ns}', 'name: web, namespace: ns, ownerReferences: [{kind: Deployment, name: w, controller: true}]}');
    const c = load([templated('Deployment', 'apps/v1'), rs, pod('web-1', 'ReplicaSet/web', '{app: w}')].join('---\n'));
    expect(c.workloads.map((w) => w.id)).toEqual(['ns/w[Deployment]']);
    expect(c.skipped.map((s) => [s.kind, s.name, s.reason])).toEqual([
      ['ReplicaSet', 'web', 'managed by ns/w[Deployment]'],
      ['Pod', 'web-1', 'managed by ns/web[ReplicaSet]'],
    ]);
  });

  it('a Job of a loaded CronJob is managed by it', () => {
    const cron = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj, namespace: ns}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec: {containers: [{name: c}]}\n';
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: cj-1\n  namespace: ns\n  ownerReferences: [{kind: CronJob, name: cj, controller: true}]\nspec:\n  template:\n    spec: {containers: [{name: c}]}\n';
    const c = load(`${cron}---\n${job}`);
    expect(c.workloads.map((w) => w.id)).toEqual(['ns/cj[CronJob]']);
    expect(c.skipped.map((s) => s.reason)).toEqual(['managed by ns/cj[CronJob]']);
  });
});

describe('lists', () => {
  it('kind: List items keep their own kind; SourceRef.path is [items, i] with the item line', () => {
    const c = load('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a, namespace: ns}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: s, namespace: ns}\n- metadata: {name: nokind}\n');
    expect(c.workloads.map((w) => [w.id, w.source])).toEqual([['ns/a[Pod]', { file: 'm.yaml', line: 4, doc: 0, path: ['items', 0] }]]);
    expect(c.skipped.map((s) => [s.kind, s.reason, s.source.line, s.source.path])).toEqual([
      ['ConfigMap', 'not modelled', 7, ['items', 1]],
      ['(none)', 'not a Kubernetes object (no apiVersion or kind)', 10, ['items', 2]],
    ]);
    expect(c.documentCount).toBe(1);
  });

  it('typed lists infer the kind and apiVersion of items that omit them (PodList -> Pod, NetworkPolicyList -> NetworkPolicy)', () => {
    const c = load('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyList\nitems:\n  - metadata: {name: np, namespace: ns}\n    spec: {podSelector: {}}\n---\napiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: p, namespace: ns}\n  spec: {containers: []}\n');
    expect(c.policies.map((p) => [p.id, p.source])).toEqual([['ns/np', { file: 'm.yaml', line: 4, doc: 0, path: ['items', 0] }]]);
    expect(c.workloads.map((w) => [w.id, w.source])).toEqual([['ns/p[Pod]', { file: 'm.yaml', line: 10, doc: 1, path: ['items', 0] }]]);
  });

  it('an invalid policy inside a list is reported on the line of the offending field', () => {
    const c = load('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyList\nitems:\n- metadata: {name: ok, namespace: ns}\n- metadata: {name: bad, namespace: ns}\n  spec:\n    podSelector: {}\n    ingress:\n    - ports:\n      - port: 0\n');
    expect(c.policies.map((p) => p.id)).toEqual(['ns/ok']);
    expect(c.diagnostics).toEqual([
      { file: 'm.yaml', line: 10, severity: 'error', message: 'NetworkPolicy ns/bad not analysed: spec.ingress[0].ports[0].port: 0: must be between 1 and 65535, inclusive' },
    ]);
  });

  it('items in flow style or JSON get their lines from the yaml parser', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] }, null, 2);
    const c = buildCluster([{ path: 'pods.json', text: json }]);
    expect(c.workloads.map((w) => [w.id, w.source.line])).toEqual([['default/a[Pod]', 5], ['default/b[Pod]', 10]]);
  });
});

describe('skipped objects and object-level errors', () => {
  it.each([
    // Services, Ingresses and Routes are modelled (test/engine/ingress.test.ts); a ConfigMap is not.
    ['a ConfigMap is not modelled', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s, namespace: ns}\n', { kind: 'ConfigMap', apiVersion: 'v1', namespace: 'ns', name: 's', reason: 'not modelled' }],
    ['a CRD object is not modelled', 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: c}\n', { kind: 'CiliumNetworkPolicy', apiVersion: 'cilium.io/v2', name: 'c', reason: 'not modelled' }],
    ['a document without kind/apiVersion', 'name: my-app\nreplicas: 3\n', { kind: '(none)', reason: 'not a Kubernetes object (no apiVersion or kind)' }],
    ['a document that is not a map', '- a\n- b\n', { kind: '(not an object)', reason: 'not a Kubernetes object' }],
  ])('%s', (_n, text, expected) => {
    const c = load(text);
    expect(c.skipped).toEqual([{ ...expected, source: { file: 'm.yaml', line: 1, doc: 0, path: [] } }]);
    expect(c.diagnostics).toEqual([]);
  });

  it('a missing metadata.name is an error', () => {
    const c = load('apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: ns\n');
    expect(c.diagnostics).toEqual([{ file: 'm.yaml', line: 3, severity: 'error', message: 'Pod without metadata.name; not analysed' }]);
    expect(c.skipped).toEqual([{ kind: 'Pod', apiVersion: 'v1', reason: 'missing metadata.name', source: { file: 'm.yaml', line: 1, doc: 0, path: [] } }]);
  });

  it('two objects with the same kind/namespace/name: error naming both places, the later is skipped', () => {
    const np = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: ns}\nspec: {podSelector: {}}\n';
    const c = buildCluster([
      { path: 'a.yaml', text: np },
      { path: 'b.yaml', text: `# again\n${np.replace('{}}', '{matchLabels: {a: b}}}')}` },
    ]);
    expect(c.policies.map((p) => [p.id, p.source.file])).toEqual([['ns/p', 'a.yaml']]);
    expect(c.diagnostics).toEqual([
      { file: 'b.yaml', line: 2, severity: 'error', message: 'NetworkPolicy ns/p is defined twice: first at a.yaml:1, again here; this one is skipped' },
    ]);
    expect(c.skipped.map((s) => s.reason)).toEqual(['duplicate of a.yaml:1']);
  });

  it('the same name in two namespaces, or for two kinds, is not a duplicate', () => {
    const c = load('apiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: b}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: x, namespace: a}\n');
    expect(c.diagnostics).toEqual([]);
    expect(c.workloads).toHaveLength(2);
  });

  it('diagnostics are sorted by file then line; counts and texts are kept', () => {
    const bad = 'apiVersion: v1\nkind: Pod\nmetadata: {namespace: x}\n';
    const c = buildCluster([
      { path: 'b.yaml', text: `${bad}---\nx: [\n` },
      { path: 'a.yaml', text: `a: 1\n---\n${bad}` },
    ]);
    expect(c.diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual(['a.yaml:5', 'b.yaml:3', 'b.yaml:5']);
    expect([c.fileCount, c.documentCount]).toEqual([2, 4]);
    expect([...c.texts.keys()]).toEqual(['b.yaml', 'a.yaml']);
  });
});
