// A change to what the ingress controller may reach is a change to an Ingress's or Route's traffic: the diff
// line names them next to the destination, as it names the Service port ("behind Ingress shop/shop").
import { describe, expect, it } from 'vitest';
import { diffMatrices } from '../../src/diff/diffMatrices.js';
import { computeMatrix } from '../../src/engine/matrix.js';
import { explainConnection } from '../../src/explain/explainConnection.js';
import { buildCluster } from '../../src/manifests/buildCluster.js';
import { deploymentYaml, docs, namespaceYaml, policyYaml } from '../helpers/yamlWorld.js';

const svc = `apiVersion: v1\nkind: Service\nmetadata:\n  name: backend\n  namespace: shop\nspec:\n  selector: {app: backend}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n`;
const ingress = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: backend\n            port: {number: 80}\n`;
const route = `apiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  to: {kind: Service, name: backend}\n  port: {targetPort: http}\n`;
const world = docs(
  namespaceYaml('shop'),
  namespaceYaml('monitoring'),
  deploymentYaml('monitoring', 'prometheus', { app: 'prometheus' }, []),
  deploymentYaml('shop', 'backend', { app: 'backend' }, [{ name: 'http', port: 3000 }, { name: 'metrics', port: 9090 }]),
  svc,
);
const admit = (ns: string, port: number) =>
  policyYaml('shop', 'backend-ingress', `podSelector: {matchLabels: {app: backend}}\ningress:\n  - from:\n      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${ns}}}\n    ports: [{port: ${port}}]`);

function lines(base: string, head: string): string[] {
  const b = computeMatrix(buildCluster([{ path: 'all.yaml', text: base }]));
  const h = computeMatrix(buildCluster([{ path: 'all.yaml', text: head }]));
  return diffMatrices(b, h).lines.map((l) => `${l.direction}: ${l.text}`);
}

describe('diff lines name the Ingress or Route behind a destination the ingress controller reaches', () => {
  it('closing the controller out names the Ingress whose traffic breaks', () => {
    const got = lines(docs(world, ingress, admit('ingress-nginx', 3000)), docs(world, ingress, admit('monitoring', 3000)));
    const closed = got.filter((l) => l.startsWith('closed'));
    expect(closed).toHaveLength(1);
    expect(closed[0]).toContain('-> shop/backend (svc backend:80 -> 3000/TCP; behind Ingress shop/shop) on 3000/TCP: now blocked');
    // The opened line's peers are monitoring's, not the controller: no Ingress named there.
    const opened = got.filter((l) => l.startsWith('opened'));
    expect(opened.length).toBeGreaterThan(0);
    for (const l of opened) expect(l).not.toContain('behind');
  });

  it('letting the controller in names the Ingress that now works', () => {
    const got = lines(docs(world, ingress, admit('monitoring', 3000)), docs(world, ingress, admit('ingress-nginx', 3000)));
    expect(got.filter((l) => l.startsWith('opened') && l.includes('behind Ingress shop/shop'))).toHaveLength(1);
  });

  it('a Route is named the same way', () => {
    const got = lines(docs(world, route, admit('openshift-ingress', 3000)), docs(world, route, admit('monitoring', 3000)));
    expect(got.some((l) => l.startsWith('closed') && l.includes('behind Route shop/web'))).toBe(true);
  });

  it('a port the Ingress does not send to names no Ingress, even from the controller', () => {
    // 9090 is not behind the Service port the Ingress uses (80 -> http = 3000).
    const got = lines(docs(world, ingress, admit('ingress-nginx', 9090)), docs(world, ingress, admit('monitoring', 9090)));
    const closed = got.filter((l) => l.startsWith('closed'));
    expect(closed).toHaveLength(1);
    expect(closed[0]).toContain('on 9090/TCP: now blocked');
    expect(closed[0]).not.toContain('behind');
  });
});

describe('explain names the Ingress whose traffic a connection from the controller is', () => {
  const m = computeMatrix(buildCluster([{ path: 'all.yaml', text: docs(world, ingress, admit('ingress-nginx', 3000)) }]));
  const controller = m.endpoint('ingress-nginx/{ingress-controller}[IngressController]')!;
  const backend = m.endpoint('shop/backend[Deployment]')!;
  const prometheus = m.endpoint('monitoring/prometheus[Deployment]')!;
  if (controller.kind !== 'workload' || backend.kind !== 'workload' || prometheus.kind !== 'workload') throw new Error('endpoints');

  it('from the controller to the port the Ingress sends to', () => {
    const e = explainConnection(m, { from: controller, to: backend, port: 3000, protocol: 'TCP' });
    expect(e.notes).toContain('this is the traffic of Ingress shop/shop');
  });

  it('not from another workload, nor to a port the Ingress does not use', () => {
    expect(explainConnection(m, { from: prometheus, to: backend, port: 3000, protocol: 'TCP' }).notes.join()).not.toContain('Ingress');
    expect(explainConnection(m, { from: controller, to: backend, port: 9090, protocol: 'TCP' }).notes.join()).not.toContain('Ingress');
  });
});
