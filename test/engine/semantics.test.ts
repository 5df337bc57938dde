// One row per NetworkPolicy semantic rule. Row names cite the upstream e2e test they encode
// (kubernetes/kubernetes test/e2e/network/netpol/network_policy.go) or the API reference
// (https://kubernetes.io/docs/concepts/services-networking/network-policies/). Each row lists the pairs of the
// truth table that are denied on the probed protocol/port; every other pair must be allowed, as in
// upstream's Reachability tables.
import { describe, expect, it } from 'vitest';
import { IpSet } from '../../src/engine/ipSet.js';
import { computeMatrix } from '../../src/engine/matrix.js';
import type { Protocol } from '../../src/manifests/model.js';
import { cluster, e2ePods, ipBlock, pods, policy, sctp, sel, tcp, udp } from '../helpers/model.js';

type Row = {
  name: string;
  pods: string[];
  namespaces?: Record<string, Record<string, string>>;
  policies: ReturnType<typeof policy>[];
  probe?: { protocol: Protocol; port: number };
  denied: string[]; // "x/a->x/b"
};

function deniedPairs(row: Row): string[] {
  const m = computeMatrix(
    cluster({ namespaces: row.namespaces ?? {}, workloads: e2ePods(...row.pods), policies: row.policies }),
  );
  const { protocol, port } = row.probe ?? { protocol: 'TCP', port: 80 };
  const out: string[] = [];
  for (const s of m.endpoints) {
    for (const d of m.endpoints) {
      if (s.kind !== 'workload' || d.kind !== 'workload' || s === d) continue;
      if (!m.allowed(s, d).has(protocol, port)) out.push(`${s.workload.namespace}/${s.workload.name}->${d.workload.namespace}/${d.workload.name}`);
    }
  }
  return out.sort();
}

const podSel = (name: string) => sel({ pod: name });
const nsSel = (ns: string) => sel({ 'kubernetes.io/metadata.name': ns });
const all = ['x/a', 'x/b', 'y/a', 'y/b'];
const into = (dst: string, from: string[]) => from.filter((s) => s !== dst).map((s) => `${s}->${dst}`);

const rows: Row[] = [
  {
    name: "e2e: should support a 'default-deny-ingress' policy",
    pods: all,
    policies: [policy('x/deny-ingress', { ingress: [] })],
    denied: [...into('x/a', all), ...into('x/b', all)],
  },
  {
    name: "e2e: should support a 'default-deny-all' policy (ingress and egress)",
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x/deny-all', { ingress: [], egress: [], types: ['Ingress', 'Egress'] })],
    denied: ['x/a->x/b', 'x/a->y/a', 'x/b->x/a', 'x/b->y/a', 'y/a->x/a', 'y/a->x/b'],
  },
  {
    name: 'docs: default deny all egress traffic',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x/deny-egress', { types: ['Egress'] })],
    denied: ['x/a->x/b', 'x/a->y/a', 'x/b->x/a', 'x/b->y/a'],
  },
  {
    name: 'docs: allow all ingress traffic (ingress: [{}]) overrides a default deny in the same namespace',
    pods: all,
    policies: [policy('x/deny', { ingress: [] }), policy('x/allow-all', { ingress: [{}] })],
    denied: [],
  },
  {
    name: 'docs: allow all egress traffic (egress: [{}]) overrides a default deny egress',
    pods: all,
    policies: [
      policy('x/deny', { types: ['Egress'] }),
      policy('x/allow-all', { egress: [{}], types: ['Egress'] }),
    ],
    denied: [],
  },
  {
    name: 'e2e: should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    policies: [policy('x/x-a-allows-x-b', { podSelector: podSel('a'), ingress: [{ peers: [pods(podSel('b'))] }] })],
    denied: ['x/c->x/a', 'y/a->x/a'],
  },
  {
    name: 'e2e: should enforce policy to allow ingress traffic for a target',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [
      policy('x/deny-all', { ingress: [] }),
      policy('x/allow-all-to-a', { podSelector: podSel('a'), ingress: [{ peers: [pods(sel(), sel())] }] }),
    ],
    denied: ['x/a->x/b', 'y/a->x/b'],
  },
  {
    name: 'e2e: should enforce policy to allow ingress traffic from pods in all namespaces',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [policy('x/allow-from-another-ns', { podSelector: podSel('a'), ingress: [{ peers: [pods(undefined, sel())] }] })],
    denied: [],
  },
  {
    name: 'e2e: should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [policy('x/allow-client-a-via-ns-selector', { podSelector: podSel('a'), ingress: [{ peers: [pods(undefined, nsSel('y'))] }] })],
    denied: ['x/b->x/a', 'z/a->x/a'],
  },
  {
    name: 'e2e: should enforce policy based on PodSelector with MatchExpressions',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [
      policy('x/x-a-allows-x-b', {
        podSelector: podSel('a'),
        ingress: [{ peers: [pods(sel({}, [{ key: 'pod', operator: 'In', values: ['b'] }]))] }],
      }),
    ],
    denied: ['y/a->x/a'],
  },
  {
    name: 'e2e: should enforce policy based on NamespaceSelector with MatchExpressions',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [
      policy('x/allow-ns-y', {
        podSelector: podSel('a'),
        ingress: [{ peers: [pods(undefined, sel({}, [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['y'] }]))] }],
      }),
    ],
    denied: ['x/b->x/a', 'z/a->x/a'],
  },
  {
    name: 'e2e: should enforce policy based on PodSelector or NamespaceSelector (two peers: OR)',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    policies: [
      policy('x/or', {
        podSelector: podSel('a'),
        ingress: [
          {
            peers: [
              pods(undefined, sel({}, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }])),
              pods(podSel('b')),
            ],
          },
        ],
      }),
    ],
    denied: ['x/c->x/a'],
  },
  {
    name: 'e2e: should enforce policy based on PodSelector and NamespaceSelector (one peer: AND)',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/b'],
    policies: [
      policy('x/and', {
        podSelector: podSel('a'),
        ingress: [
          {
            peers: [
              pods(podSel('b'), sel({}, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }])),
            ],
          },
        ],
      }),
    ],
    denied: ['x/b->x/a', 'y/a->x/a'],
  },
  {
    name: 'e2e: should enforce policy based on Multiple PodSelectors and NamespaceSelectors (Exists / DoesNotExist)',
    pods: ['x/a', 'x/b', 'x/c', 'y/a', 'y/b', 'y/c'],
    namespaces: { y: { team: 'blue' } },
    policies: [
      policy('x/multi', {
        podSelector: podSel('a'),
        ingress: [
          {
            peers: [
              pods(
                sel({}, [{ key: 'pod', operator: 'In', values: ['b', 'c'] }]),
                sel({}, [{ key: 'team', operator: 'Exists', values: [] }]),
              ),
            ],
          },
        ],
      }),
    ],
    denied: ['x/b->x/a', 'x/c->x/a', 'y/a->x/a'],
  },
  {
    name: 'docs: DoesNotExist matches objects without the key; NotIn matches objects without the key',
    pods: ['x/a', 'x/b', 'y/a'],
    namespaces: { y: { env: 'prod' } },
    policies: [
      policy('x/not-prod', {
        podSelector: podSel('a'),
        ingress: [
          { peers: [pods(sel(), sel({}, [{ key: 'env', operator: 'DoesNotExist', values: [] }]))] },
          { peers: [pods(sel({}, [{ key: 'tier', operator: 'NotIn', values: ['web'] }]), nsSel('y'))] },
        ],
      }),
    ],
    denied: [],
  },
  {
    name: 'e2e: should enforce policy based on Ports (TCP 81 allowed, TCP 80 denied)',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x/port-81', { podSelector: podSel('a'), ingress: [{ peers: [pods(undefined, sel())], ports: [tcp(81)] }] })],
    denied: ['x/b->x/a', 'y/a->x/a'],
  },
  {
    name: 'e2e: should enforce policy based on Ports (the allowed port itself is reachable)',
    pods: ['x/a', 'x/b', 'y/a'],
    probe: { protocol: 'TCP', port: 81 },
    policies: [policy('x/port-81', { podSelector: podSel('a'), ingress: [{ peers: [pods(undefined, sel())], ports: [tcp(81)] }] })],
    denied: [],
  },
  {
    name: 'e2e: should enforce multiple, stacked policies with overlapping podSelectors (union of rules)',
    pods: ['x/a', 'x/b', 'y/a'],
    probe: { protocol: 'TCP', port: 80 },
    policies: [
      policy('x/port-81', { podSelector: podSel('a'), ingress: [{ peers: [pods(undefined, sel())], ports: [tcp(81)] }] }),
      policy('x/port-80', { podSelector: podSel('a'), ingress: [{ peers: [pods(undefined, sel())], ports: [tcp(80)] }] }),
    ],
    denied: [],
  },
  {
    name: 'e2e: should allow ingress access on one named port',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x/named', { podSelector: podSel('a'), ingress: [{ ports: [tcp('serve-81-tcp')] }] })],
    denied: ['x/b->x/a', 'y/a->x/a'],
  },
  {
    name: 'e2e: should allow ingress access on one named port (the named port itself: 81)',
    pods: ['x/a', 'x/b', 'y/a'],
    probe: { protocol: 'TCP', port: 81 },
    policies: [policy('x/named', { podSelector: podSel('a'), ingress: [{ ports: [tcp('serve-81-tcp')] }] })],
    denied: [],
  },
  {
    name: 'api: a named port matches name AND protocol (serve-81-udp named with protocol TCP resolves nowhere)',
    pods: ['x/a', 'x/b'],
    probe: { protocol: 'UDP', port: 81 },
    policies: [policy('x/named', { podSelector: podSel('a'), ingress: [{ ports: [tcp('serve-81-udp')] }] })],
    denied: ['x/b->x/a'],
  },
  {
    name: 'e2e: should allow egress access on one named port (resolved on the destination)',
    pods: ['x/a', 'x/b', 'y/a'],
    probe: { protocol: 'TCP', port: 81 },
    policies: [policy('x/egress-named', { podSelector: podSel('a'), egress: [{ ports: [tcp('serve-81-tcp')] }], types: ['Egress'] })],
    denied: [],
  },
  {
    name: 'e2e: should allow egress access on one named port (other ports denied)',
    pods: ['x/a', 'x/b', 'y/a'],
    probe: { protocol: 'TCP', port: 80 },
    policies: [policy('x/egress-named', { podSelector: podSel('a'), egress: [{ ports: [tcp('serve-81-tcp')] }], types: ['Egress'] })],
    denied: ['x/a->x/b', 'x/a->y/a'],
  },
  {
    name: 'e2e: should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    pods: ['x/a', 'y/a', 'y/b'],
    policies: [
      policy('x/deny-egress-to-y', {
        podSelector: podSel('a'),
        egress: [{ peers: [pods(undefined, nsSel('x'))] }],
        types: ['Egress'],
      }),
      policy('y/allow-all-ingress', { ingress: [{}] }),
    ],
    denied: ['x/a->y/a', 'x/a->y/b'],
  },
  {
    name: 'e2e: should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'y/b'],
    policies: [
      policy('x/egress-y-a', {
        podSelector: podSel('a'),
        egress: [{ peers: [pods(podSel('a'), nsSel('y'))] }],
        types: ['Egress'],
      }),
    ],
    denied: ['x/a->x/b', 'x/a->y/b'],
  },
  {
    name: 'e2e: should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [
      policy('x/deny-egress-a', { podSelector: podSel('a'), types: ['Egress'] }),
      policy('x/allow-ingress-a', { podSelector: podSel('a'), ingress: [{}] }),
    ],
    denied: ['x/a->x/b', 'x/a->y/a'],
  },
  {
    name: 'e2e: should work with Ingress, Egress specified together',
    pods: ['x/a', 'x/b', 'y/a', 'y/b'],
    policies: [
      policy('x/both', {
        podSelector: podSel('a'),
        ingress: [{ peers: [pods(podSel('b'))] }],
        egress: [{ peers: [pods(undefined, nsSel('y'))] }],
      }),
    ],
    denied: ['y/a->x/a', 'y/b->x/a', 'x/a->x/b'],
  },
  {
    name: 'e2e: should not allow access by TCP when a policy specifies only UDP',
    pods: ['x/a', 'x/b'],
    policies: [policy('x/udp-only', { podSelector: podSel('a'), ingress: [{ ports: [udp(81)] }] })],
    denied: ['x/b->x/a'],
  },
  {
    name: "e2e: should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP'",
    pods: ['x/a', 'x/b'],
    policies: [policy('x/sctp-80', { podSelector: podSel('a'), ingress: [{ ports: [sctp(80)] }] })],
    denied: ['x/b->x/a'],
  },
  {
    name: "e2e: should properly isolate pods that are selected by a policy allowing SCTP (SCTP 80 allowed)",
    pods: ['x/a', 'x/b'],
    probe: { protocol: 'SCTP', port: 80 },
    policies: [policy('x/sctp-80', { podSelector: podSel('a'), ingress: [{ ports: [sctp(80)] }] })],
    denied: [],
  },
  {
    name: 'e2e: should enforce ingress policy allowing any port traffic to a server on a specific protocol',
    pods: ['x/a', 'x/b'],
    probe: { protocol: 'UDP', port: 81 },
    policies: [policy('x/any-udp', { podSelector: podSel('a'), ingress: [{ ports: [udp()] }] })],
    denied: [],
  },
  {
    name: 'e2e: should enforce policy to allow traffic based on endPort (TCP 80-81 range includes 81)',
    pods: ['x/a', 'x/b'],
    probe: { protocol: 'TCP', port: 81 },
    policies: [policy('x/range', { podSelector: podSel('a'), ingress: [{ ports: [tcp(80, 81)] }] })],
    denied: [],
  },
  {
    name: 'e2e: should enforce policy to allow traffic based on endPort (TCP 81-82 excludes 80)',
    pods: ['x/a', 'x/b'],
    probe: { protocol: 'TCP', port: 80 },
    policies: [policy('x/range', { podSelector: podSel('a'), ingress: [{ ports: [tcp(81, 82)] }] })],
    denied: ['x/b->x/a'],
  },
  {
    name: 'e2e: should stop enforcing policies after they are deleted (a policy that selects no pod isolates nothing)',
    pods: ['x/a', 'x/b'],
    policies: [policy('x/selects-nothing', { podSelector: podSel('zzz'), ingress: [] })],
    denied: [],
  },
  {
    name: 'docs: policies are namespaced: a podSelector selects pods only in the policy\'s own namespace',
    pods: ['x/a', 'y/a', 'y/b'],
    policies: [policy('y/deny-a', { podSelector: podSel('a'), ingress: [] })],
    denied: ['x/a->y/a', 'y/b->y/a'],
  },
  {
    name: 'docs: a peer podSelector without namespaceSelector means the policy\'s namespace only',
    pods: ['x/a', 'x/b', 'y/b'],
    policies: [policy('x/from-b', { podSelector: podSel('a'), ingress: [{ peers: [pods(podSel('b'))] }] })],
    denied: ['y/b->x/a'],
  },
];

describe('NetworkPolicy semantics (truth tables on TCP 80 unless stated)', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    expect(deniedPairs(row)).toEqual([...row.denied].sort());
  });
});

describe('loopback and replicas', () => {
  it('e2e ignoreLoopback: a Pod to itself is not listed; a Deployment to itself (between replicas) is evaluated', () => {
    const [a] = e2ePods('x/a');
    const dep = { ...a!, id: 'x/web[Deployment]', name: 'web', kind: 'Deployment', labels: { pod: 'web' } };
    const m = computeMatrix(cluster({ workloads: [a!, dep], policies: [policy('x/deny-web', { podSelector: podSel('web'), ingress: [] })] }));
    const ids = m.connections().map((c) => `${c.src.id}->${c.dst.id}`);
    expect(ids).not.toContain('x/a[Pod]->x/a[Pod]');
    expect(ids).not.toContain('x/web[Deployment]->x/web[Deployment]');
    expect(ids).toContain('x/web[Deployment]->x/a[Pod]');
  });
});


describe('ipBlock (API reference: IPBlock; e2e: should allow egress access to server in CIDR block, should enforce except clause)', () => {
  const m = computeMatrix(
    cluster({
      workloads: e2ePods('x/a', 'x/b', 'x/c'),
      policies: [
        policy('x/from-10', { podSelector: podSel('a'), ingress: [{ peers: [ipBlock('10.0.0.0/8', ['10.1.0.0/16'])], ports: [tcp(80)] }] }),
        policy('x/egress-b', { podSelector: podSel('b'), egress: [{ peers: [ipBlock('192.168.0.0/16', ['192.168.1.0/24'])] }], types: ['Egress'] }),
      ],
    }),
  );
  const rangeOf = (ip: string) => m.endpoint(m.ipRanges.find((r) => r.set.contains(IpSet.fromCidr(ip)))!.id)!;
  const a = m.endpoint('x/a[Pod]')!;
  const b = m.endpoint('x/b[Pod]')!;
  it.each([
    ['10.2.0.1 is in cidr and not in except: allowed on TCP 80', '10.2.0.1', true],
    ['10.1.2.3 is in the except: denied', '10.1.2.3', false],
    ['8.8.8.8 is outside the cidr: denied', '8.8.8.8', false],
  ])('ingress %s', (_n, ip, allowed) => {
    expect(m.allowed(rangeOf(ip), a).has('TCP', 80)).toBe(allowed);
    expect(m.allowed(rangeOf(ip), a).has('TCP', 81)).toBe(false);
  });
  it.each([
    ['192.168.7.7 (in cidr)', '192.168.7.7', true],
    ['192.168.1.7 (in except)', '192.168.1.7', false],
    ['10.0.0.1 (outside)', '10.0.0.1', false],
  ])('egress to %s', (_n, ip, allowed) => {
    expect(m.allowed(b, rangeOf(ip)).isAll()).toBe(allowed);
  });
  it('ipBlocks never match pods: c (not isolated) cannot reach a, whose only rule is an ipBlock', () => {
    expect(m.allowed(m.endpoint('x/c[Pod]')!, a).has('TCP', 80)).toBe(false);
    expect(m.allowed(m.endpoint('x/c[Pod]')!, b).isAll()).toBe(true);
  });
});
