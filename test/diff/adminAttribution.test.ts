// Diff lines caused by AdminNetworkPolicy / BaselineAdminNetworkPolicy changes name them (kind, name,
// priority, rule and file:line), as NetworkPolicy changes are named.
import { describe, expect, it } from 'vitest';
import { diffMatrices } from '../../src/diff/diffMatrices.js';
import { deploymentYaml, docs, matrixOf, namespaceYaml, policyYaml } from '../helpers/yamlWorld.js';

const world = docs(
  namespaceYaml('shop', { team: 'shop' }),
  namespaceYaml('ops', { team: 'ops' }),
  deploymentYaml('shop', 'backend', { app: 'backend' }, [{ name: 'http', port: 3000 }]),
  deploymentYaml('ops', 'monitor', { app: 'monitor' }),
);
const allowFromOps = policyYaml('shop', 'backend', 'podSelector: {}\ningress:\n  - from:\n      - namespaceSelector: {matchLabels: {team: ops}}');
const anp = (priority: number, action: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: lockdown\nspec:\n  priority: ${priority}\n  subject:\n    namespaces: {matchLabels: {team: shop}}\n  ingress:\n  - name: from-ops\n    action: ${action}\n    from:\n    - namespaces: {matchLabels: {team: ops}}\n    ports:\n    - portNumber: {port: 3000}\n`;
const banp = `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata:\n  name: default\nspec:\n  subject:\n    namespaces: {}\n  ingress:\n  - action: Deny\n    from:\n    - namespaces: {}\n`;

const attributions = (base: Record<string, string>, head: Record<string, string>) =>
  diffMatrices(matrixOf(base), matrixOf(head)).lines.map((l) => ({
    text: l.text,
    by: l.attribution.map((a) => `${a.kind} ${a.id} ${a.change}${a.rule ? ` ${a.rule.direction} rule ${a.rule.index + 1}` : ''} @ ${a.file}:${a.line}${a.detail ? ` (${a.detail})` : ''}`),
  }));

describe('diff attribution of admin policies', () => {
  it('an added ANP Deny closes what a NetworkPolicy allowed, and is named with its rule', () => {
    const d = attributions({ 'w.yaml': world, 'p.yaml': allowFromOps }, { 'w.yaml': world, 'p.yaml': allowFromOps, 'anp.yaml': anp(10, 'Deny') });
    expect(d).toEqual([
      {
        text: 'ops/monitor -> shop/backend on 3000/TCP: now blocked',
        by: ['AdminNetworkPolicy lockdown added ingress rule 1 @ anp.yaml:10 (priority 10)'],
      },
    ]);
  });

  it('an edited action (Deny -> Pass) reopens it, attributed as edited', () => {
    const d = attributions(
      { 'w.yaml': world, 'p.yaml': allowFromOps, 'anp.yaml': anp(10, 'Deny') },
      { 'w.yaml': world, 'p.yaml': allowFromOps, 'anp.yaml': anp(10, 'Pass') },
    );
    expect(d.map((l) => l.by)).toEqual([['AdminNetworkPolicy lockdown edited ingress rule 1 @ anp.yaml:10 (priority 10)']]);
    expect(d[0]!.text).toContain('now allowed');
  });

  it('a BaselineAdminNetworkPolicy closes traffic only to pods no NetworkPolicy isolates', () => {
    const d = attributions({ 'w.yaml': world }, { 'w.yaml': world, 'banp.yaml': banp });
    expect(d.every((l) => l.by.every((b) => b === 'BaselineAdminNetworkPolicy default added ingress rule 1 @ banp.yaml:9'))).toBe(true);
    expect(d.length).toBeGreaterThan(0);
    const withNp = attributions({ 'w.yaml': world, 'p.yaml': allowFromOps }, { 'w.yaml': world, 'p.yaml': allowFromOps, 'banp.yaml': banp });
    // shop/backend is isolated by a NetworkPolicy: the BANP closes only what reaches ops/monitor.
    expect(withNp).toHaveLength(1);
    expect(withNp[0]!.text).toMatch(/-> ops\/monitor on all ports: now blocked/);
  });
});
