// explain with AdminNetworkPolicy / BaselineAdminNetworkPolicy: the chain names each tier, and the verdict
// agrees with the matrix on random clusters with admin policies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMatrix, type Endpoint } from '../../src/engine/matrix.js';
import { renderExplainJson } from '../../src/render/explainJson.js';
import { renderExplainText } from '../../src/render/explainText.js';
import { explain } from '../../src/explain/explain.js';
import { explainConnection } from '../../src/explain/explainConnection.js';
import type { ExplainEndpoint } from '../../src/explain/types.js';
import { clusterWithAdminArb } from '../helpers/arbitraries.js';
import { admin, cluster, e2ePods, nsPeer, pods, policy, portNumber, sel } from '../helpers/model.js';

const asExplain = (e: Endpoint): ExplainEndpoint => (e.kind === 'workload' ? e : { kind: 'ip', id: e.id, set: e.range.set });
const house = (h: string) => sel({ house: h });

function world(ingressAction: 'Deny' | 'Pass', withNp: boolean) {
  return computeMatrix(
    cluster({
      namespaces: { g: { house: 'g' }, s: { house: 's' } },
      workloads: e2ePods('g/harry', 's/draco'),
      policies: withNp ? [policy('g/backend-policy', { ingress: [{ peers: [pods(undefined, house('s'))], ports: [{ protocol: 'TCP', port: 80 }] }] })] : [],
      adminPolicies: [admin('tenant-isolation', 10, { namespaceSelector: house('g') }, { ingress: [{ name: 'from-slytherin', action: ingressAction, peers: [nsPeer(house('s'))] }] })],
      baselinePolicy: admin('default', undefined, { namespaceSelector: sel() }, { ingress: [{ name: 'deny-cross-house', action: 'Deny', peers: [nsPeer(sel())], ports: [portNumber(80)] }] }),
    }),
  );
}

describe('explain names every tier', () => {
  const ask = (m: ReturnType<typeof world>, port: number) =>
    explainConnection(m, { from: asExplain(m.endpoint('s/draco[Pod]')!), to: asExplain(m.endpoint('g/harry[Pod]')!), port, protocol: 'TCP' });

  it('[ANP] Pass -> [NP] Allow', () => {
    const e = ask(world('Pass', true), 80);
    expect(e.verdict).toBe('allowed');
    expect(e.ingress.flow).toBe('[ANP] Pass (tenant-isolation, priority 10, rule from-slytherin) -> [NP] Allow (g/backend-policy rule 1)');
    expect(e.ingress.admin?.map((s) => [s.tier, s.action, s.reached])).toEqual([
      ['ANP', 'Pass', true],
      ['BANP', 'Deny', false],
    ]);
  });

  it('[ANP] Pass -> [NP] Deny when no NetworkPolicy rule allows the port', () => {
    const e = ask(world('Pass', true), 81);
    expect(e.verdict).toBe('denied');
    expect(e.ingress.flow).toBe('[ANP] Pass (tenant-isolation, priority 10, rule from-slytherin) -> [NP] Deny (isolated by g/backend-policy; no rule allows)');
    expect(e.ingress.misses.length).toBeGreaterThan(0);
  });

  it('[ANP] Deny is final: the NetworkPolicy that would allow is not consulted', () => {
    const e = ask(world('Deny', true), 80);
    expect(e.verdict).toBe('denied');
    expect(e.ingress.flow).toBe('[ANP] Deny (tenant-isolation, priority 10, rule from-slytherin)');
    expect(e.ingress.allowedBy).toEqual([]);
    expect(e.ingress.misses).toEqual([]);
  });

  it('[ANP] Pass -> [BANP] Deny when no NetworkPolicy isolates the pod; other ports fall through to allowed', () => {
    const m = world('Pass', false);
    expect(ask(m, 80).ingress.flow).toBe('[ANP] Pass (tenant-isolation, priority 10, rule from-slytherin) -> [BANP] Deny (default, rule deny-cross-house)');
    expect(ask(m, 80).verdict).toBe('denied');
    expect(ask(m, 443).ingress.flow).toBe('[ANP] Pass (tenant-isolation, priority 10, rule from-slytherin) -> allowed: no rule decides');
    expect(ask(m, 443).verdict).toBe('allowed');
  });

  it('without admin policies the chain has no admin fields (JSON unchanged)', () => {
    const m = computeMatrix(cluster({ workloads: e2ePods('x/a', 'x/b'), policies: [policy('x/p', { ingress: [] })] }));
    const e = explainConnection(m, { from: asExplain(m.endpoint('x/a[Pod]')!), to: asExplain(m.endpoint('x/b[Pod]')!) });
    expect(e.ingress.flow).toBeUndefined();
    expect(e.ingress.admin).toBeUndefined();
  });
});

describe('explain agrees with the matrix with admin policies', () => {
  it('on random clusters, per pair and per direction', () => {
    fc.assert(
      fc.property(clusterWithAdminArb, (c) => {
        const m = computeMatrix(c);
        for (const s of m.endpoints) {
          for (const d of m.endpoints) {
            if (s.kind === 'ip' && d.kind === 'ip') continue;
            const e = explainConnection(m, { from: asExplain(s), to: asExplain(d) });
            if (e.allowedPorts.key() !== m.allowed(s, d).key()) throw new Error(`${s.id} -> ${d.id}: explain ${e.allowedPorts}, matrix ${m.allowed(s, d)}`);
            if (e.ingress.allowedPorts.key() !== m.ingressAllowed(s, d).key()) throw new Error(`ingress ${s.id} -> ${d.id}`);
            if (e.egress.allowedPorts.key() !== m.egressAllowed(s, d).key()) throw new Error(`egress ${s.id} -> ${d.id}`);
          }
        }
      }),
      { numRuns: 150 },
    );
    expect(true).toBe(true);
  });
});

describe('rendering the tiers', () => {
  it('text shows the tiers line under the direction; JSON carries admin and flow additively', () => {
    const m = world('Pass', true);
    const explanation = explainConnection(m, { from: asExplain(m.endpoint('s/draco[Pod]')!), to: asExplain(m.endpoint('g/harry[Pod]')!), port: 80, protocol: 'TCP' });
    const text = renderExplainText({ kind: 'connection', explanation });
    expect(text).toContain('tiers: [ANP] Pass (tenant-isolation, priority 10, rule from-slytherin) -> [NP] Allow (g/backend-policy rule 1)');
    const json = JSON.parse(renderExplainJson({ kind: 'connection', explanation }));
    expect(json.ingress.flow).toContain('[ANP] Pass');
    expect(json.ingress.admin[0]).toMatchObject({ tier: 'ANP', policy: 'tenant-isolation', priority: 10, rule: 0, ruleName: 'from-slytherin', action: 'Pass', reached: true });
    expect(json.egress.flow).toBeUndefined();
  });
});

describe('explain --policy describes admin policies too', () => {
  it('by name and by Kind/name; every policy in evaluation order when none is named', () => {
    const m = world('Pass', true);
    const anp = explain(m, { policy: 'tenant-isolation' });
    expect(anp.kind).toBe('policies');
    if (anp.kind !== 'policies') return;
    expect(anp.policies[0]!.id).toBe('AdminNetworkPolicy/tenant-isolation');
    expect(anp.policies[0]!.facts.map((f) => f.text)).toEqual([
      'AdminNetworkPolicy tenant-isolation, priority 10: evaluated before NetworkPolicies (lower priority numbers first); the first rule that matches decides.',
      'Applies to every pod in namespaces house=g (1 workload: g/harry[Pod]).',
      'Ingress rule 1 (from-slytherin): Pass from every pod in namespaces house=s on all ports.',
    ]);
    const banp = explain(m, { policy: 'banp/default' });
    expect(banp.kind === 'policies' && banp.policies[0]!.facts.map((f) => f.text)).toEqual([
      'BaselineAdminNetworkPolicy default: evaluated after NetworkPolicies, only for pods no NetworkPolicy isolates; the first rule that matches decides.',
      'Applies to every pod in any namespace (2 workloads: g/harry[Pod], s/draco[Pod]).',
      'Ingress rule 1 (deny-cross-house): Deny from every pod in any namespace on TCP 80.',
    ]);
    const all = explain(m, {});
    expect(all.kind === 'policies' && all.policies.map((p) => p.id)).toEqual([
      'AdminNetworkPolicy/tenant-isolation',
      'g/backend-policy',
      'BaselineAdminNetworkPolicy/default',
    ]);
    expect(explain(m, { policy: 'anp/nope' }).kind).toBe('error');
  });
});
