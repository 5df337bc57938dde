import { describe, expect, it } from 'vitest';
import { computeMatrix } from '../../src/engine/matrix.js';
import { describePolicy } from '../../src/explain/describePolicy.js';
import { policyWarnings } from '../../src/explain/policyWarnings.js';
import type { WarningCode } from '../../src/explain/types.js';
import { cluster, ipBlock, pods, policy, sel, tcp, udp, workload } from '../helpers/model.js';
import { shop } from './fixture.js';

const facts = (c: ReturnType<typeof cluster>, id: string) => describePolicy(computeMatrix(c), id).facts.map((f) => f.text);
const warnings = (c: ReturnType<typeof cluster>, code?: WarningCode) =>
  policyWarnings(computeMatrix(c))
    .filter((w) => code === undefined || w.code === code)
    .map((w) => w.message);

// Egress policies below allow DNS so that only the warning under test fires.
const dns = { ports: [udp(53), tcp(53)] };

describe('describePolicy: one fact per line', () => {
  it('the issue example: several peers in one rule, egress to a CIDR', () => {
    const c = cluster({
      namespaces: { default: {}, team: { project: 'mywebapp' } },
      workloads: [
        workload('default/backend', { app: 'backend' }),
        workload('default/backend-canary', { app: 'backend' }),
        workload('default/backend-jobs', { app: 'backend' }, { kind: 'CronJob' }),
        workload('default/frontend', { app: 'frontend' }),
      ],
      policies: [
        policy('default/backend-policy', {
          podSelector: sel({ app: 'backend' }),
          ingress: [
            { peers: [ipBlock('182.213.0.0/16'), pods(undefined, sel({ project: 'mywebapp' })), pods(sel({ app: 'frontend' }))], ports: [tcp(3000)] },
          ],
          egress: [{ peers: [ipBlock('30.204.218.0/24')], ports: [tcp(80)] }],
        }),
      ],
    });
    expect(facts(c, 'default/backend-policy')).toEqual([
      'Selects pods app=backend in namespace default (3 workloads: default/backend[Deployment], default/backend-canary[Deployment], default/backend-jobs[CronJob]).',
      'Ingress: isolated; allows TCP 3000 from IPs in 182.213.0.0/16, from any pod in namespaces project=mywebapp, from pods app=frontend in namespace default.',
      'Egress: isolated; allows TCP 80 to IPs in 30.204.218.0/24.',
    ]);
  });

  it('selectors in words, port ranges, named ports resolved on the destinations, several rules', () => {
    expect(facts(shop(), 'shop/web-egress')).toEqual([
      'Selects pods app=web in namespace shop (1 workload: shop/web[Deployment]).',
      'Ingress: not affected (policyTypes leaves Ingress out).',
      'Egress: isolated; allows what any of its 2 rules allows.',
      'Egress rule 1 allows TCP port named http (resolves to 3000 on default/backend[Deployment]) to pods app=backend in namespaces project=mywebapp.',
      'Egress rule 2 allows TCP 443 to IPs in 0.0.0.0/0 except 10.0.0.0/8.',
    ]);
    const c = cluster({
      workloads: [workload('x/a', { tier: 'web' })],
      policies: [
        policy('x/words', {
          podSelector: sel({}, [{ key: 'tier', operator: 'In', values: ['web', 'api'] }]),
          ingress: [
            { peers: [pods(sel({}, [{ key: 'x', operator: 'DoesNotExist', values: [] }]), sel())], ports: [tcp(8000, 8080), tcp('http')] },
            { peers: [pods(sel({ app: 'a' }, [{ key: 'env', operator: 'NotIn', values: ['prod'] }, { key: 'team', operator: 'Exists', values: [] }]))] },
            {},
          ],
        }),
        policy('x/deny', { podSelector: sel({ none: 'such' }), ingress: [] }),
      ],
    });
    expect(facts(c, 'x/words')).toEqual([
      'Selects pods with tier in (web, api) in namespace x (1 workload: x/a[Deployment]).',
      'Ingress: isolated; allows what any of its 3 rules allows.',
      'Ingress rule 1 allows TCP 8000-8080 and TCP port named http (resolves on no destination) from pods without key x in any namespace.',
      'Ingress rule 2 allows all ports from pods app=a without env in (prod) and with key team in namespace x.',
      'Ingress rule 3 allows all traffic.',
      'Egress: not affected (policyTypes leaves Egress out).',
    ]);
    expect(facts(c, 'x/deny')).toEqual([
      'Selects pods none=such in namespace x: no workload matches.',
      'Ingress: isolated; allows nothing.',
      'Egress: not affected (policyTypes leaves Egress out).',
    ]);
  });
});

describe('policyWarnings: what a reviewer needs', () => {
  it('a policy that selects no workload', () => {
    const c = cluster({ workloads: [workload('x/a', { app: 'a' })], policies: [policy('x/typo', { podSelector: sel({ app: 'aa' }), ingress: [] })] });
    expect(warnings(c)).toEqual(['x/typo selects no workload: no pod has app=aa in namespace x']);
  });

  it('a peer that matches nothing (and why, when no namespace matches)', () => {
    const c = cluster({
      workloads: [workload('x/a', { app: 'a' })],
      policies: [policy('x/p', { podSelector: sel({ app: 'a' }), ingress: [{ peers: [pods(sel({ app: 'ghost' })), pods(undefined, sel({ team: 'blue' }))] }] })],
    });
    expect(warnings(c)).toEqual([
      'ingress rule 1 of x/p: from pods app=ghost in namespace x matches no workload',
      'ingress rule 1 of x/p: from any pod in namespaces team=blue matches no workload (no namespace has team=blue)',
    ]);
  });

  it('the AND/OR trap: a two-selector peer next to a podSelector-only peer', () => {
    const c = cluster({
      namespaces: { x: {}, y: { team: 'blue' } },
      workloads: [workload('x/a', { app: 'a' }), workload('y/b', { app: 'b' }), workload('x/c', { app: 'c' })],
      policies: [
        policy('x/p', {
          podSelector: sel({ app: 'a' }),
          ingress: [{ peers: [pods(sel({ app: 'b' }), sel({ team: 'blue' })), pods(sel({ app: 'c' }))] }],
        }),
      ],
    });
    expect(warnings(c, 'and-or-trap')).toEqual([
      'ingress rule 1 of x/p: from[0] is one peer with both selectors (AND: pods app=b in namespaces team=blue), but from[1] is a separate podSelector peer (OR: pods app=c in namespace x); if it was meant to narrow from[0], remove the "-" before its podSelector',
    ]);
  });

  it('an except outside its cidr', () => {
    const c = cluster({
      workloads: [workload('x/a', { app: 'a' })],
      policies: [policy('x/p', { podSelector: sel({ app: 'a' }), egress: [{ peers: [ipBlock('192.168.0.0/16', ['10.0.0.0/8'])] }], types: ['Egress'] })],
    });
    expect(warnings(c, 'except-outside-cidr')).toEqual([
      'egress rule 1 of x/p: except 10.0.0.0/8 is not inside cidr 192.168.0.0/16; the API server rejects it (it must be a strict subset)',
    ]);
  });

  it('a named port that resolves on no destination (ingress: selected pods; egress: the peers)', () => {
    const c = cluster({
      workloads: [
        workload('x/a', { app: 'a' }, { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
        workload('x/b', { app: 'b' }),
      ],
      policies: [
        policy('x/in', { podSelector: sel({ app: 'a' }), ingress: [{ ports: [tcp('http'), udp('http')] }] }),
        policy('x/out', {
          podSelector: sel({ app: 'a' }),
          egress: [{ peers: [pods(sel({ app: 'b' }))], ports: [tcp('http')] }, { peers: [ipBlock('10.0.0.0/8')], ports: [tcp('https')] }, dns],
          types: ['Egress'],
        }),
      ],
    });
    expect(warnings(c, 'named-port-unresolved')).toEqual([
      'ingress rule 1 of x/in: UDP port named http resolves on no destination (none of the 1 workload it protects declares a UDP container port named http)',
      'egress rule 1 of x/out: TCP port named http resolves on no destination (none of the 1 workload it reaches declares a TCP container port named http)',
      'egress rule 2 of x/out: TCP port named https resolves on no destination (the rule reaches no workload, and port names mean nothing for addresses outside the cluster)',
    ]);
  });

  it('a policy that allows everything while others isolate', () => {
    const c = cluster({
      workloads: [workload('x/a', { app: 'a' }), workload('x/b', { app: 'b' })],
      policies: [policy('x/deny-all', { ingress: [] }), policy('x/allow-all', { ingress: [{}] })],
    });
    expect(warnings(c)).toEqual([
      'x/allow-all allows all ingress (ingress: [{}]) to the 2 workloads it selects, which overrides the isolation by x/deny-all of x/a[Deployment], x/b[Deployment]',
    ]);
  });

  it('egress isolation without DNS; none when UDP or TCP 53 is allowed somewhere', () => {
    const c = cluster({
      workloads: [workload('x/a', { app: 'a' }), workload('x/b', { app: 'a' }), workload('x/c', { app: 'c' })],
      policies: [
        policy('x/egress-a', { podSelector: sel({ app: 'a' }), egress: [{ ports: [tcp(443)] }], types: ['Egress'] }),
        policy('x/egress-c', { podSelector: sel({ app: 'c' }), egress: [{ ports: [tcp(443)] }], types: ['Egress'] }),
        policy('x/dns-c', { podSelector: sel({ app: 'c' }), egress: [dns], types: ['Egress'] }),
      ],
    });
    expect(warnings(c)).toEqual([
      'x/a[Deployment], x/b[Deployment] are isolated for egress by x/egress-a, and no egress rule allows DNS (UDP or TCP 53): name lookups will fail',
    ]);
  });

  it('the shop fixture: only its missing DNS', () => {
    expect(warnings(shop())).toEqual([
      'shop/web[Deployment] is isolated for egress by shop/web-egress, and no egress rule allows DNS (UDP or TCP 53): name lookups will fail',
    ]);
  });
});
