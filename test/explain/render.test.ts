import { describe, expect, it } from 'vitest';
import { computeMatrix } from '../../src/engine/matrix.js';
import { explain } from '../../src/explain/explain.js';
import { renderExplainJson } from '../../src/render/explainJson.js';
import { renderExplainMarkdown } from '../../src/render/explainMarkdown.js';
import { renderExplainText } from '../../src/render/explainText.js';
import { cluster, pods, policy, sel, tcp, workload } from '../helpers/model.js';
import { yamlCluster } from './yamlCluster.js';

const m = () => computeMatrix(yamlCluster());

describe('text', () => {
  it('a denial: verdict, both directions, the nearest miss with file:line of the rule', () => {
    expect(renderExplainText(explain(m(), { from: 'shop/web', to: 'default/backend:3000' }))).toBe(
      [
        'denied: shop/web[Deployment] -> default/backend[Deployment], TCP 3000',
        'Egress of shop/web[Deployment]: not isolated (no NetworkPolicy selects it for egress)',
        'Ingress of default/backend[Deployment]: isolated by default/backend-policy (k8s/policies.yaml:1); allows none of it',
        '  nearest misses:',
        '    rule 1 of default/backend-policy allows TCP 3000 from pods app=frontend in namespace default; shop/web[Deployment] has app=web and is in namespace shop (k8s/policies.yaml:11)',
        '',
      ].join('\n'),
    );
  });

  it('an allowed connection on a named port', () => {
    expect(renderExplainText(explain(m(), { from: 'frontend', to: 'backend:http' }))).toBe(
      [
        'allowed: default/frontend[Deployment] -> default/backend[Deployment], TCP 3000 (port named http)',
        'Egress of default/frontend[Deployment]: not isolated (no NetworkPolicy selects it for egress)',
        'Ingress of default/backend[Deployment]: isolated by default/backend-policy (k8s/policies.yaml:1); allows all of it',
        '  allowed by:',
        '    rule 1 of default/backend-policy allows TCP 3000 from pods app=frontend in namespace default (k8s/policies.yaml:11)',
        '',
      ].join('\n'),
    );
  });

  it('policies, and an error with candidates', () => {
    expect(renderExplainText(explain(m(), {}))).toBe(
      [
        'default/backend-policy (k8s/policies.yaml:1)',
        '  Selects pods app=backend in namespace default (1 workload: default/backend[Deployment]).',
        '  Ingress: isolated; allows TCP 3000 from pods app=frontend in namespace default.',
        '  Egress: not affected (policyTypes leaves Egress out).',
        '',
      ].join('\n'),
    );
    expect(renderExplainText(explain(m(), { from: 'default/nope', to: 'backend' }))).toBe(
      [
        'error: --from: no workload "nope" in namespace default (asked: "default/nope")',
        '  candidates:',
        '    default/backend[Deployment]',
        '    default/frontend[Deployment]',
        '',
      ].join('\n'),
    );
  });

  it('control characters from manifests do not reach the terminal', () => {
    const c = cluster({ workloads: [workload('x/a', { app: 'a\u001b[31mred\nx' })], policies: [policy('x/p', { ingress: [] })] });
    const out = renderExplainText(explain(computeMatrix(c), { policy: 'x/p' }));
    expect(out).not.toMatch(/\u001b/);
  });
});

describe('markdown', () => {
  it('escapes every manifest string; locations are code spans', () => {
    const c = cluster({
      workloads: [workload('x/a', { app: '<img src=x>' }), workload('x/b', { app: '@admins' })],
      policies: [policy('x/p', { podSelector: sel({ app: '<img src=x>' }), ingress: [{ peers: [pods(sel({ app: '*bold*' }))], ports: [tcp(80)] }] })],
    });
    const out = renderExplainMarkdown(explain(computeMatrix(c), { from: 'x/b', to: 'x/a:80' }));
    expect(out).toBe(
      [
        '**denied**: x/b\\[Deployment\\] \\-&gt; x/a\\[Deployment\\], TCP 80',
        '',
        '**Egress of x/b\\[Deployment\\]**: not isolated \\(no NetworkPolicy selects it for egress\\)',
        '',
        '**Ingress of x/a\\[Deployment\\]**: isolated by x/p \\(test\\.yaml:1\\); allows none of it',
        '- nearest misses:',
        '  - rule 1 of x/p allows TCP 80 from pods app=\\*bold\\* in namespace x; x/b\\[Deployment\\] has app=@\u200Badmins (`test.yaml:1`)',
        '',
      ].join('\n'),
    );
    expect(out).not.toContain('<img');
  });
});

describe('json', () => {
  it('the verdict and each chain with policy ids, 0-based rule indexes, file and line', () => {
    const json = JSON.parse(renderExplainJson(explain(m(), { from: 'frontend', to: 'backend:3000' })));
    expect(json).toMatchObject({
      kind: 'connection',
      from: { kind: 'workload', id: 'default/frontend[Deployment]' },
      to: { kind: 'workload', id: 'default/backend[Deployment]' },
      asked: { port: 3000, protocol: 'TCP', text: 'TCP 3000' },
      verdict: 'allowed',
      allowedPorts: { ports: { TCP: [[3000, 3000]], UDP: [], SCTP: [] } },
      egress: { direction: 'egress', status: 'not-isolated', isolatedBy: [], allowedBy: [], misses: [] },
      ingress: {
        direction: 'ingress',
        status: 'isolated',
        allows: 'all',
        isolatedBy: [{ policy: 'default/backend-policy', file: 'k8s/policies.yaml', line: 1 }],
        allowedBy: [{ policy: 'default/backend-policy', rule: 0, file: 'k8s/policies.yaml', line: 11 }],
        misses: [],
      },
      notes: [],
    });
  });

  it('an IP endpoint carries its CIDRs and what is allowed per address', () => {
    const json = JSON.parse(renderExplainJson(explain(m(), { from: '10.0.0.0/8', to: 'backend:3000' })));
    expect(json.from).toEqual({ kind: 'ip', id: '10.0.0.0/8', cidrs: ['10.0.0.0/8'] });
    expect(json.byAddress).toEqual([{ cidrs: ['10.0.0.0/8'], ports: { ports: { TCP: [], UDP: [], SCTP: [] } } }]);
    expect(json.ingress.misses[0]).toMatchObject({ policy: 'default/backend-policy', rule: 0, line: 11 });
  });

  it('policies with facts and warnings', () => {
    const json = JSON.parse(renderExplainJson(explain(m(), { policy: 'backend-policy' })));
    expect(json.kind).toBe('policies');
    expect(json.policies[0].facts[1]).toEqual({
      text: 'Ingress: isolated; allows TCP 3000 from pods app=frontend in namespace default.',
      file: 'k8s/policies.yaml',
      line: 11,
      direction: 'ingress',
      rule: 0,
    });
    expect(json.warnings).toEqual([]);
  });
});
