// Diff lines and explanations name the Service port next to the target port, as reviewers think of them.
import { describe, expect, it } from 'vitest';
import { diffMatrices } from '../../src/diff/diffMatrices.js';
import { explainConnection } from '../../src/explain/explainConnection.js';
import { buildCluster } from '../../src/manifests/buildCluster.js';
import { computeMatrix } from '../../src/engine/matrix.js';
import { deploymentYaml, docs, matrixOf, namespaceYaml, policyYaml } from '../helpers/yamlWorld.js';

const svc = `apiVersion: v1\nkind: Service\nmetadata:\n  name: backend\n  namespace: shop\nspec:\n  selector: {app: backend}\n  ports:\n  - port: 80\n    targetPort: 3000\n`;
const world = docs(
  namespaceYaml('shop'),
  deploymentYaml('shop', 'frontend', { app: 'frontend' }),
  deploymentYaml('shop', 'backend', { app: 'backend' }, [{ name: 'http', port: 3000 }]),
  svc,
);
const deny = policyYaml('shop', 'backend', 'podSelector: {matchLabels: {app: backend}}\ningress: []');
const allow = policyYaml('shop', 'backend', 'podSelector: {matchLabels: {app: backend}}\ningress:\n  - from:\n      - podSelector: {matchLabels: {app: frontend}}\n    ports: [{port: 3000}]');

describe('Service ports in wording', () => {
  it('a diff line names the Service port next to the target port', () => {
    const d = diffMatrices(matrixOf({ 'w.yaml': world, 'p.yaml': deny }), matrixOf({ 'w.yaml': world, 'p.yaml': allow }));
    expect(d.lines.map((l) => l.text)).toEqual(['shop/frontend -> shop/backend (svc backend:80 -> 3000/TCP) on 3000/TCP: now allowed']);
    // The JSON endpoint groups keep their shape: the Service is only in the sentence.
    expect(d.lines[0]!.to).toEqual({ text: 'shop/backend', members: ['shop/backend[Deployment]'] });
  });

  it('explain notes the Service a destination port is reached through', () => {
    const m = computeMatrix(buildCluster([{ path: 'w.yaml', text: docs(world, allow) }]));
    const e = explainConnection(m, { from: m.endpoint('shop/frontend[Deployment]')! as never, to: m.endpoint('shop/backend[Deployment]')! as never, port: 3000 });
    expect(e.notes).toContain('shop/backend[Deployment] is reached through svc backend:80 -> 3000/TCP');
  });

  it('the side summary lists assumed namespaces and admin policies', () => {
    const opts = { assumedNamespaces: { 'kube-system': {} } };
    const c = buildCluster([{ path: 'w.yaml', text: world }], opts);
    const d = diffMatrices(computeMatrix(c), computeMatrix(c));
    expect(d.head.assumedNamespaces).toEqual(['kube-system']);
    expect(d.head.adminPolicies).toBeUndefined();
  });
});
