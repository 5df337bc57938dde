// The bundled fixtures, read from disk as the CLI reads them.
import { describe, expect, it } from 'vitest';
import { buildCluster, readManifestFiles, summarizeSkipped } from '../../src/manifests/index.js';

const loadDir = async (dir: string) => {
  const { files, diagnostics } = await readManifestFiles([dir]);
  expect(diagnostics).toEqual([]);
  return buildCluster(files);
};

describe('fixtures/backend-policy (the Kubernetes docs example)', () => {
  it('loads the namespaces, the four Deployments and the policy exactly', async () => {
    const c = await loadDir('fixtures/backend-policy');
    expect(c.diagnostics).toEqual([]);
    expect(c.skipped).toEqual([]);
    expect([c.fileCount, c.documentCount]).toEqual([3, 6]);
    expect([...c.namespaces.values()].map((n) => [n.name, n.labels, n.declared])).toEqual([
      ['default', { 'kubernetes.io/metadata.name': 'default' }, false],
      ['mywebapp', { project: 'mywebapp', 'kubernetes.io/metadata.name': 'mywebapp' }, true],
    ]);
    expect(c.workloads.map((w) => [w.id, w.labels, w.ports])).toEqual([
      ['default/frontend[Deployment]', { app: 'frontend' }, [{ port: 80, protocol: 'TCP' }]],
      ['default/backend[Deployment]', { app: 'backend' }, [{ name: 'http', port: 3000, protocol: 'TCP' }]],
      ['default/db[Deployment]', { app: 'db' }, [{ port: 5432, protocol: 'TCP' }]],
      ['mywebapp/webapp[Deployment]', { app: 'webapp' }, []],
    ]);
    const sel = (matchLabels: Record<string, string>) => ({ matchLabels, matchExpressions: [] });
    expect(c.policies).toHaveLength(1);
    expect(c.policies[0]).toMatchObject({
      id: 'default/backend-policy',
      podSelector: sel({ app: 'backend' }),
      affectsIngress: true,
      affectsEgress: true,
      source: { file: 'fixtures/backend-policy/backend-policy.yaml', line: 3, doc: 0, path: [] },
      ingress: [{
        index: 0,
        peers: [
          { type: 'ipBlock', cidr: '182.213.0.0/16', except: ['182.213.1.0/24'] },
          { type: 'pods', namespaceSelector: sel({ project: 'mywebapp' }) },
          { type: 'pods', podSelector: sel({ app: 'frontend' }) },
        ],
        ports: [{ protocol: 'TCP', port: 3000 }],
        path: ['spec', 'ingress', 0],
      }],
      egress: [{ index: 0, peers: [{ type: 'ipBlock', cidr: '30.204.218.0/24', except: [] }], ports: [{ protocol: 'TCP', port: 80 }], path: ['spec', 'egress', 0] }],
    });
  });
});

describe('fixtures/bad', () => {
  it('every broken file gives its diagnostic; the valid objects still load', async () => {
    const c = await loadDir('fixtures/bad');
    expect(c.diagnostics).toEqual([
      { file: 'fixtures/bad/binary.yaml', line: 6, severity: 'error', message: 'binary or non-UTF-8 content (NUL or invalid bytes); file skipped' },
      { file: 'fixtures/bad/chart/templates/netpol.yaml', line: 4, severity: 'warning', message: 'Helm template, not rendered: run `helm template` and analyse its output; file skipped' },
      { file: 'fixtures/bad/duplicate-object.yaml', line: 9, severity: 'error', message: 'NetworkPolicy default/deny-all is defined twice: first at fixtures/bad/duplicate-object.yaml:1, again here; this one is skipped' },
      { file: 'fixtures/bad/invalid-cidr.yaml', line: 11, severity: 'error', message: 'NetworkPolicy default/bad-cidr not analysed: spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33" is not a valid CIDR (prefix length over 32)' },
      { file: 'fixtures/bad/syntax-error.yaml', line: 11, severity: 'error', message: 'YAML syntax error: unexpected end of the stream within a flow collection; document skipped' },
      { file: 'fixtures/bad/unknown-operator.yaml', line: 10, severity: 'error', message: 'NetworkPolicy default/bad-operator not analysed: spec.podSelector.matchExpressions[0].operator: "Equals" is not a valid selector operator (In, NotIn, Exists, DoesNotExist)' },
    ]);
    expect(c.policies.map((p) => [p.id, p.affectsIngress, p.affectsEgress])).toEqual([['default/deny-all', true, false]]);
    expect(summarizeSkipped(c.skipped)).toEqual([
      { kind: 'NetworkPolicy', count: 3, reasons: [
        'duplicate of fixtures/bad/duplicate-object.yaml:1',
        'invalid: spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33" is not a valid CIDR (prefix length over 32)',
        'invalid: spec.podSelector.matchExpressions[0].operator: "Equals" is not a valid selector operator (In, NotIn, Exists, DoesNotExist)',
      ] },
      { kind: 'ConfigMap', count: 1, reasons: ['not modelled'] },
    ]);
  });
});

describe('fixtures/live-dump (kubectl get pods -A -o yaml)', () => {
  it('groups pods by controller, keeps hostNetwork, infers Pod for kind-less items', async () => {
    const c = await loadDir('fixtures/live-dump');
    expect(c.diagnostics).toEqual([]);
    expect(c.skipped).toEqual([]);
    expect(c.workloads.map((w) => [w.id, w.podCount, w.hostNetwork, w.source.line, w.source.path])).toEqual([
      ['default/web-7d4b9c6f5[ReplicaSet]', 2, false, 3, ['items', 0]],
      ['default/api-5f6d8b7c9[ReplicaSet]', 1, false, 63, ['items', 2]],
      ['default/debug[Pod]', undefined, false, 92, ['items', 3]],
      ['kube-system/coredns-76f75df574[ReplicaSet]', 1, false, 110, ['items', 4]],
      ['kube-system/kube-proxy[DaemonSet]', 1, true, 146, ['items', 5]],
    ]);
    expect(c.workloads[3]?.ports).toEqual([
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ]);
    expect([...c.namespaces.keys()]).toEqual(['default', 'kube-system']);
  });
});
