import { describe, expect, it } from 'vitest';
import { computeMatrix } from '../../src/engine/matrix.js';
import { explain } from '../../src/explain/explain.js';
import { explainConnection } from '../../src/explain/explainConnection.js';
import { resolveEndpoint } from '../../src/explain/resolveEndpoint.js';
import type { ConnectionExplanation, ExplainEndpoint } from '../../src/explain/types.js';
import type { Protocol } from '../../src/manifests/model.js';
import { cluster, ipBlock, pods, policy, sel, tcp, workload } from '../helpers/model.js';
import { shop } from './fixture.js';

// The issue's own example: backend-policy allows TCP 3000 from pods app=frontend in default only.
const issueCluster = () =>
  cluster({
    workloads: [
      workload('default/frontend', { app: 'frontend' }),
      workload('default/backend', { app: 'backend' }),
      workload('default/web', { app: 'web' }),
      workload('default/api', { app: 'api' }, { ports: [{ name: 'metrics', port: 9090, protocol: 'TCP' }] }),
      workload('other/intruder', { app: 'frontend' }),
    ],
    policies: [
      policy('default/backend-policy', {
        podSelector: sel({ app: 'backend' }),
        ingress: [{ peers: [pods(sel({ app: 'frontend' }))], ports: [tcp(3000)] }],
      }),
      policy('default/api-policy', { podSelector: sel({ app: 'api' }), ingress: [{ ports: [tcp('http')] }] }),
      policy('default/web-lockdown', { podSelector: sel({ app: 'web' }), types: ['Egress'] }),
    ],
  });

function ask(c: ReturnType<typeof cluster>, from: string, to: string, port?: number | string, protocol?: Protocol): ConnectionExplanation {
  const m = computeMatrix(c);
  const end = (q: string): ExplainEndpoint => {
    const r = resolveEndpoint(m, q);
    if (!r.ok) throw new Error(r.error);
    return r.endpoint;
  };
  return explainConnection(m, {
    from: end(from),
    to: end(to),
    ...(port !== undefined ? { port } : {}),
    ...(protocol ? { protocol } : {}),
  });
}

describe('verdict: allowed because nothing isolates', () => {
  it('neither the source (egress) nor the destination (ingress) is selected by a policy', () => {
    const e = ask(issueCluster(), 'default/frontend', 'other/intruder', 80);
    expect(e.verdict).toBe('allowed');
    expect([e.egress.status, e.ingress.status]).toEqual(['not-isolated', 'not-isolated']);
    expect(e.egress.allowedBy).toEqual([]);
    expect(e.ingress.misses).toEqual([]);
  });
});

describe('verdict: allowed by a rule', () => {
  it('names the policy, the 0-based rule index and the rule in words', () => {
    const e = ask(issueCluster(), 'default/frontend', 'default/backend', 3000);
    expect(e.verdict).toBe('allowed');
    expect(e.ingress.isolatedBy.map((p) => p.policy)).toEqual(['default/backend-policy']);
    expect(e.ingress.allowedBy.map((s) => [s.policy, s.ruleIndex, s.text])).toEqual([
      ['default/backend-policy', 0, 'rule 1 of default/backend-policy allows TCP 3000 from pods app=frontend in namespace default'],
    ]);
    expect(e.ingress.misses).toEqual([]);
  });
});

describe('verdict: denied by isolation, with the nearest miss of each rule', () => {
  it('wrong labels', () => {
    const e = ask(issueCluster(), 'default/web', 'default/backend', 3000);
    expect(e.verdict).toBe('denied');
    expect(e.ingress.misses.map((m) => m.text)).toEqual([
      'rule 1 of default/backend-policy allows TCP 3000 from pods app=frontend in namespace default; default/web[Deployment] has app=web',
    ]);
  });

  it('right labels, wrong namespace', () => {
    const e = ask(issueCluster(), 'other/intruder', 'default/backend', 3000);
    expect(e.ingress.misses.map((m) => m.text)).toEqual([
      'rule 1 of default/backend-policy allows TCP 3000 from pods app=frontend in namespace default; other/intruder[Deployment] has app=frontend but is in namespace other',
    ]);
  });

  it('right peer, wrong port', () => {
    const e = ask(issueCluster(), 'default/frontend', 'default/backend', 8080);
    expect(e.verdict).toBe('denied');
    expect(e.ingress.misses.map((m) => m.text)).toEqual([
      'rule 1 of default/backend-policy allows TCP 3000 from pods app=frontend in namespace default; you asked for TCP 8080',
    ]);
  });

  it('wrong namespace labels for a namespaceSelector, and the nearest of several peers', () => {
    const e = ask(shop(), 'shop/web', 'default/backend', 3000);
    expect(e.ingress.misses.map((m) => m.text)).toEqual([
      'rule 1 of default/backend-policy allows TCP 3000 from IPs in 182.213.0.0/16 except 182.213.1.0/24, from any pod in namespaces project=mywebapp, from pods app=frontend in namespace default; shop/web[Deployment] is in namespace shop, which has no label project',
    ]);
  });

  it('egress isolation without rules', () => {
    const e = ask(issueCluster(), 'default/web', 'other/intruder', 80);
    expect(e.verdict).toBe('denied');
    expect(e.egress.allows).toBe('none');
    expect(e.egress.misses.map((m) => [m.ruleIndex, m.text])).toEqual([
      [undefined, 'default/web-lockdown has no egress rules: it isolates default/web[Deployment] and allows nothing'],
    ]);
    expect(e.ingress.status).toBe('not-isolated');
  });

  it('a hostNetwork source is never matched by pod selectors', () => {
    const e = ask(shop(), 'other/node-agent', 'default/backend', 3000);
    expect(e.egress.status).toBe('host-network');
    expect(e.ingress.misses.map((m) => m.text.split('; ').pop())).toEqual([
      'other/node-agent[DaemonSet] uses hostNetwork: pod selectors never match it, only an ipBlock covering all of 0.0.0.0/0 or ::/0 does',
    ]);
  });
});

describe('verdict: named ports', () => {
  it('a rule whose named port the destination does not declare allows nothing', () => {
    const e = ask(issueCluster(), 'default/frontend', 'default/api', 8080);
    expect(e.verdict).toBe('denied');
    expect(e.ingress.misses.map((m) => m.text)).toEqual([
      'rule 1 of default/api-policy allows TCP port named http from anywhere; default/api[Deployment] declares no TCP port named http; you asked for TCP 8080',
    ]);
  });

  it('without a port: the unresolved name is the only reason', () => {
    const e = ask(issueCluster(), 'default/frontend', 'default/api');
    expect(e.ingress.misses.map((m) => m.text)).toEqual([
      'rule 1 of default/api-policy allows TCP port named http from anywhere; default/api[Deployment] declares no TCP port named http',
    ]);
  });

  it('a port name asked for resolves on the destination, and the rule shows what its own name resolves to', () => {
    const e = ask(shop(), 'default/backend', 'default/db', 'pg');
    expect(e.asked.text).toBe('TCP 5432 (port named pg)');
    expect(e.verdict).toBe('allowed');
    expect(e.ingress.allowedBy[0]!.text).toBe(
      'rule 1 of default/db-policy allows TCP port named pg (5432 on default/db[StatefulSet]) from pods app=backend in namespace default',
    );
  });

  it('explain() refuses a port name the destination does not declare, listing the names it does', () => {
    const m = computeMatrix(shop());
    expect(explain(m, { from: 'frontend', to: 'backend:grpc' })).toEqual({
      kind: 'error',
      error: 'default/backend[Deployment] declares no TCP port named "grpc"',
      candidates: ['http (TCP 3000)'],
    });
    expect(explain(m, { from: 'web', to: '10.0.0.1:https' })).toMatchObject({ kind: 'error' });
  });
});

describe('verdict: ipBlock and except', () => {
  it('an address in the except is denied, and the miss says which except', () => {
    const e = ask(shop(), '182.213.1.5', 'default/backend', 3000);
    expect(e.verdict).toBe('denied');
    expect(e.ingress.misses.map((m) => m.text.split('; ').pop())).toEqual(['182.213.1.5 is excluded by except 182.213.1.0/24']);
  });

  it('an address inside the cidr and outside the except is allowed', () => {
    expect(ask(shop(), '182.213.2.5', 'default/backend', 3000).verdict).toBe('allowed');
  });

  it('a range only part of which a rule covers: partially, per address', () => {
    const e = ask(shop(), 'default/db', '10.0.0.0/8', 443);
    expect(e.verdict).toBe('partially');
    expect(e.egress.allowedBy.map((s) => s.text)).toEqual([
      'rule 1 of default/db-policy allows TCP 443 to IPs in 10.0.0.0/9 (partially: 10.0.0.0/9 of 10.0.0.0/8)',
    ]);
    expect(e.egress.allowedBy[0]!.partialCidrs).toEqual(['10.0.0.0/9']);
    expect(e.byAddress!.map((b) => [b.cidrs, b.ports.toString()])).toEqual([
      [['10.0.0.0/9'], 'TCP 443'],
      [['10.128.0.0/9'], 'no ports'],
    ]);
    expect(e.egress.misses.map((m) => m.text)).toEqual([
      'rule 2 of default/db-policy allows UDP 53 and TCP 53 to anywhere; you asked for TCP 443',
    ]);
  });

  it('a range inside the except: not in the cidr words when disjoint', () => {
    const c = cluster({
      workloads: [workload('x/a', { app: 'a' })],
      policies: [policy('x/out', { podSelector: sel({ app: 'a' }), egress: [{ peers: [ipBlock('192.168.0.0/16')], ports: [tcp(443)] }], types: ['Egress'] })],
    });
    const e = ask(c, 'x/a', '10.1.2.3', 443);
    expect(e.egress.misses.map((m) => m.text)).toEqual([
      'rule 1 of x/out allows TCP 443 to IPs in 192.168.0.0/16; 10.1.2.3 is not in 192.168.0.0/16',
    ]);
  });
});

describe('verdict: partially over ports', () => {
  it('every port asked, some allowed', () => {
    const e = ask(issueCluster(), 'default/frontend', 'default/backend');
    expect(e.verdict).toBe('partially');
    expect(e.asked.text).toBe('all ports');
    expect(e.allowedPorts.toString()).toBe('TCP 3000');
    expect(e.ingress.allows).toBe('some');
  });
});
