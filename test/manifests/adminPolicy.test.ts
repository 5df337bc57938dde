// AdminNetworkPolicy / BaselineAdminNetworkPolicy reading and validation, as the CRDs of
// kubernetes-sigs/network-policy-api (apis/v1alpha1) define them; diagnostics carry file:line.
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../../src/manifests/buildCluster.js';
import { computeMatrix } from '../../src/engine/matrix.js';

const anp = (name: string, spec: string, kind = 'AdminNetworkPolicy') =>
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec.replace(/^(?=.)/gm, '  ')}\n`;
const load = (...texts: string[]) => buildCluster(texts.map((text, i) => ({ path: `f${i}.yaml`, text })));

describe('AdminNetworkPolicy reading', () => {
  it('reads priority, subject, actions, every peer and port form, in order', () => {
    const c = load(
      anp(
        'tenants',
        `priority: 10
subject:
  pods:
    namespaceSelector: {matchLabels: {tenant: a}}
    podSelector: {}
ingress:
- name: from-monitoring
  action: Allow
  from:
  - namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
  ports:
  - portNumber: {port: 9090}
  - namedPort: metrics
  - portRange: {protocol: UDP, start: 1000, end: 2000}
egress:
- action: Pass
  to:
  - networks: [0.0.0.0/0]
  - nodes: {}
  - pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: dns}}}`,
      ),
    );
    expect(c.diagnostics).toEqual([]);
    const p = c.adminPolicies![0]!;
    expect(p).toMatchObject({ tier: 'admin', id: 'tenants', priority: 10, subject: { namespaceSelector: { matchLabels: { tenant: 'a' } }, podSelector: { matchLabels: {} } } });
    expect(p.ingress[0]).toMatchObject({
      index: 0,
      name: 'from-monitoring',
      action: 'Allow',
      peers: [{ type: 'namespaces' }],
      ports: [
        { type: 'number', protocol: 'TCP', port: 9090 },
        { type: 'named', name: 'metrics' },
        { type: 'range', protocol: 'UDP', start: 1000, end: 2000 },
      ],
    });
    expect(p.egress[0]!.ports).toBe('all');
    expect(p.egress[0]!.peers.map((x) => x.type)).toEqual(['networks', 'nodes', 'pods']);
  });

  it('sorts by priority then name, and warns where equal priorities select the same pod', () => {
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers: []\n';
    const c = load(
      anp('b', 'priority: 5\nsubject: {namespaces: {}}\ningress: []'),
      anp('a', 'priority: 5\nsubject: {namespaces: {}}'),
      anp('z', 'priority: 1\nsubject: {namespaces: {matchLabels: {x: y}}}'),
      anp('y', 'priority: 1\nsubject: {namespaces: {}}'),
      ns + '---\n' + pod,
    );
    expect(c.adminPolicies!.map((p) => p.name)).toEqual(['y', 'z', 'a', 'b']);
    const warnings = c.diagnostics.filter((d) => d.message.includes('same priority'));
    expect(warnings).toHaveLength(1); // y and z (priority 1) never select the same pod
    expect(warnings[0]).toMatchObject({ file: 'f0.yaml', line: 6, severity: 'warning' });
    expect(warnings[0]!.message).toContain('AdminNetworkPolicy b has the same priority 5 as a (f1.yaml:1) and both select shop/web[Pod]');
  });

  it.each<[string, string, string, number]>([
    ['priority out of range', 'priority: 1001\nsubject: {namespaces: {}}', 'spec.priority: 1001: must be between 0 and 1000, inclusive', 6],
    ['priority missing (reported at spec)', 'subject: {namespaces: {}}', 'spec.priority: required', 5],
    ['subject with both forms', 'priority: 1\nsubject:\n  namespaces: {}\n  pods: {podSelector: {}}', 'spec.subject: must set exactly one of `namespaces` or `pods`', 7],
    ['unknown action', 'priority: 1\nsubject: {namespaces: {}}\ningress:\n- action: Drop\n  from: [{namespaces: {}}]', 'spec.ingress[0].action: unsupported value "Drop"', 9],
    ['empty from', 'priority: 1\nsubject: {namespaces: {}}\ningress:\n- action: Deny\n  from: []', 'spec.ingress[0].from: required, at least one peer', 10],
    ['networks in an ingress peer', 'priority: 1\nsubject: {namespaces: {}}\ningress:\n- action: Deny\n  from: [{networks: [10.0.0.0/8]}]', 'spec.ingress[0].from[0].networks: unknown field', 10],
    ['port range with start >= end', 'priority: 1\nsubject: {namespaces: {}}\negress:\n- action: Deny\n  to: [{namespaces: {}}]\n  ports: [{portRange: {start: 90, end: 80}}]', 'start (90) must be less than end (80)', 11],
    ['two port forms in one entry', 'priority: 1\nsubject: {namespaces: {}}\negress:\n- action: Deny\n  to: [{namespaces: {}}]\n  ports: [{portNumber: {port: 80}, namedPort: http}]', 'must set exactly one of `portNumber`, `namedPort`, `portRange`', 11],
    ['the v0.1.0 NamespacedPeer form', 'priority: 1\nsubject: {namespaces: {}}\ningress:\n- action: Deny\n  from: [{namespaces: {namespaceSelector: {}}}]', 'since network-policy-api v0.1.5 `namespaces` is itself a label selector', 10],
  ])('rejects %s, at its line', (_name, spec, message, line) => {
    const c = load(anp('bad', spec));
    const d = c.diagnostics.find((x) => x.severity === 'error');
    expect(d?.message).toContain(message);
    expect(d?.message).toMatch(/^AdminNetworkPolicy bad not analysed: /);
    expect(d?.line).toBe(line);
    expect(c.adminPolicies).toBeUndefined();
    expect(c.skipped).toMatchObject([{ kind: 'AdminNetworkPolicy', name: 'bad' }]);
  });

  it('warns that networks in private ranges are applied to outside addresses only, and about node selectors', () => {
    const c = load(anp('n', 'priority: 1\nsubject: {namespaces: {}}\negress:\n- action: Deny\n  to:\n  - networks: [10.0.0.0/8]\n  - nodes: {matchLabels: {role: infra}}'));
    expect(c.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining('networks 10.0.0.0/8 may hold pod or node addresses'),
      expect.stringContaining('a `nodes` peer with a selector'),
    ]);
    expect(c.diagnostics.every((d) => d.severity === 'warning' && d.line === 10)).toBe(true);
  });
});

describe('BaselineAdminNetworkPolicy reading', () => {
  it('must be named default and has no priority; Pass is not an action', () => {
    const c = load(
      anp('other', 'subject: {namespaces: {}}', 'BaselineAdminNetworkPolicy'),
      anp('default', 'subject: {namespaces: {}}\ningress:\n- action: Pass\n  from: [{namespaces: {}}]', 'BaselineAdminNetworkPolicy'),
    );
    expect(c.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([
      expect.stringMatching(/^f0\.yaml:4 BaselineAdminNetworkPolicy other not analysed: metadata\.name: Only one baseline/),
      expect.stringMatching(/^f1\.yaml:8 BaselineAdminNetworkPolicy default not analysed: spec\.ingress\[0\]\.action: unsupported value "Pass": supported values: "Allow", "Deny"/),
    ]);
    expect(c.baselinePolicy).toBeUndefined();
  });

  it('is loaded and evaluated after NetworkPolicy through the real loader', () => {
    const c = load(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nspec: {containers: []}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: y}\nspec: {containers: []}\n',
      anp('default', 'subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: x}}}\ningress:\n- action: Deny\n  from: [{namespaces: {}}]', 'BaselineAdminNetworkPolicy'),
    );
    expect(c.diagnostics).toEqual([]);
    const m = computeMatrix(c);
    const [a, b] = [m.endpoint('x/a[Pod]')!, m.endpoint('y/b[Pod]')!];
    expect(m.allowed(b, a).isEmpty()).toBe(true);
    expect(m.allowed(a, b).isAll()).toBe(true);
  });
});
