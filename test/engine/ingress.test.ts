// Ingress and Route traffic comes from the ingress controller's pods, through Services: a policy that admits
// only the controller's namespace lets the Ingress path work; one that admits another namespace does not.
import { describe, expect, it } from 'vitest';
import { computeMatrix } from '../../src/engine/matrix.js';
import { ingressPaths } from '../../src/engine/services.js';
import { buildCluster } from '../../src/manifests/buildCluster.js';
import type { LoadOptions } from '../../src/manifests/model.js';
import { deploymentYaml, docs, namespaceYaml, policyYaml } from '../helpers/yamlWorld.js';

const svc = `apiVersion: v1\nkind: Service\nmetadata:\n  name: backend\n  namespace: shop\nspec:\n  selector: {app: backend}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n`;
const ingress = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  rules:\n  - host: shop.example\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: backend\n            port: {number: 80}\n`;
const route = `apiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  to: {kind: Service, name: backend}\n  port: {targetPort: http}\n`;
const world = docs(namespaceYaml('shop'), deploymentYaml('shop', 'backend', { app: 'backend' }, [{ name: 'http', port: 3000 }]), svc);
const fromNamespace = (labels: string) =>
  policyYaml('shop', 'backend-ingress', `podSelector: {matchLabels: {app: backend}}\ningress:\n  - from:\n      - namespaceSelector: {matchLabels: ${labels}}\n    ports: [{port: 3000}]`);

function paths(files: string, opts: LoadOptions = {}) {
  const cluster = buildCluster([{ path: 'all.yaml', text: files }], opts);
  const m = computeMatrix(cluster);
  return { cluster, result: ingressPaths(m).map((p) => `${p.backend.kind} ${p.backend.id} -> ${p.workload.id} ${p.ports.toShortString()}: allowed ${p.allowed.toShortString()}`) };
}

describe('Ingress and Route through the ingress controller', () => {
  it('a policy that admits only the controller namespace: the Ingress path works', () => {
    const { cluster, result } = paths(docs(world, ingress, fromNamespace('{kubernetes.io/metadata.name: ingress-nginx}')));
    expect(result).toEqual(['Ingress shop/shop -> shop/backend[Deployment] 3000/TCP: allowed 3000/TCP']);
    expect(cluster.ingressController?.id).toBe('ingress-nginx/{ingress-controller}[IngressController]');
    expect(cluster.assumedNamespaces).toEqual(['ingress-nginx']);
    expect(cluster.skipped.filter((s) => s.kind === 'Ingress' || s.kind === 'Service')).toEqual([]);
  });

  it('a policy that admits only another namespace: the Ingress path is blocked', () => {
    const { result } = paths(docs(world, ingress, fromNamespace('{kubernetes.io/metadata.name: monitoring}')));
    expect(result).toEqual(['Ingress shop/shop -> shop/backend[Deployment] 3000/TCP: allowed no ports']);
  });

  it('the controller namespace and labels are configurable (LoadOptions.ingressController)', () => {
    const opts: LoadOptions = { ingressController: { namespace: 'edge', labels: { app: 'traefik' }, namespaceLabels: { role: 'edge' } } };
    const pod = policyYaml('shop', 'backend-ingress', 'podSelector: {matchLabels: {app: backend}}\ningress:\n  - from:\n      - namespaceSelector: {matchLabels: {role: edge}}\n        podSelector: {matchLabels: {app: traefik}}');
    expect(paths(docs(world, ingress, pod), opts).result).toEqual(['Ingress shop/shop -> shop/backend[Deployment] 3000/TCP: allowed 3000/TCP']);
    expect(paths(docs(world, ingress, pod)).result).toEqual(['Ingress shop/shop -> shop/backend[Deployment] 3000/TCP: allowed no ports']);
  });

  it("an OpenShift Route comes from the router, whose namespace carries policy-group=ingress", () => {
    const allowRouter = fromNamespace('{network.openshift.io/policy-group: ingress}');
    expect(paths(docs(world, route, allowRouter)).result).toEqual(['Route shop/shop -> shop/backend[Deployment] 3000/TCP: allowed 3000/TCP']);
  });
});

describe('assumed namespaces', () => {
  it('exist with their labels and a representative pod, so "any namespace" includes them', () => {
    const allowAnyNs = policyYaml('shop', 'backend', 'podSelector: {}\ningress:\n  - from:\n      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}');
    const cluster = buildCluster([{ path: 'a.yaml', text: docs(world, allowAnyNs) }], {
      assumedNamespaces: { 'kube-system': { labels: { tier: 'control-plane' } }, monitoring: { podLabels: { app: 'prometheus' } } },
    });
    expect(cluster.assumedNamespaces).toEqual(['kube-system', 'monitoring']);
    expect(cluster.namespaces.get('kube-system')).toMatchObject({ labels: { tier: 'control-plane', 'kubernetes.io/metadata.name': 'kube-system' }, declared: false, assumed: true });
    const m = computeMatrix(cluster);
    const dns = m.endpoint('kube-system/{pods}[Assumed]')!;
    const prom = m.endpoint('monitoring/{pods}[Assumed]')!;
    const backend = m.endpoint('shop/backend[Deployment]')!;
    expect(m.allowed(dns, backend).isAll()).toBe(true);
    expect(m.allowed(prom, backend).isEmpty()).toBe(true);
  });

  it('a Namespace manifest wins over an assumption', () => {
    const cluster = buildCluster([{ path: 'a.yaml', text: docs(world, namespaceYaml('kube-system', { real: 'yes' })) }], {
      assumedNamespaces: { 'kube-system': { labels: { tier: 'x' } } },
    });
    expect(cluster.namespaces.get('kube-system')?.labels).toEqual({ real: 'yes', 'kubernetes.io/metadata.name': 'kube-system' });
    expect(cluster.namespaces.get('kube-system')?.assumed).toBeUndefined();
  });
});
