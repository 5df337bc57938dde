// Property: on random clusters the engine agrees with a naive evaluator that reads the policies one
// (src, dst, protocol, port) at a time (test/helpers/naiveEvaluator.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IpSet } from '../../src/engine/ipSet.js';
import { computeMatrix, type Endpoint } from '../../src/engine/matrix.js';
import type { Cluster } from '../../src/manifests/model.js';
import { clusterArb, clusterWithAdminArb } from '../helpers/arbitraries.js';
import { naiveAllowed, type NaiveEnd, type NaiveProtocol } from '../helpers/naiveEvaluator.js';
import { cluster, policy, pods, sel, tcp, workload } from '../helpers/model.js';

const PROBES: [NaiveProtocol, number][] = [
  ['TCP', 80], ['TCP', 81], ['TCP', 82], ['TCP', 3000], ['TCP', 3001], ['UDP', 53], ['UDP', 3001], ['UDP', 80], ['SCTP', 80], ['ICMP', 0],
];
const ADDRESSES = ['10.0.0.1', '10.1.2.3', '8.8.8.8', '192.168.1.1', '192.168.2.1', '2001:db8::1', '2001:db9::1'];

function agrees(c: Cluster): void {
  const m = computeMatrix(c);
  const ends: { e: Endpoint; n: NaiveEnd }[] = [
    ...c.workloads.map((w) => ({ e: m.endpoint(w.id)!, n: { workload: w } as NaiveEnd })),
    ...ADDRESSES.map((ip) => {
      const range = m.ipRanges.find((r) => r.set.contains(IpSet.fromCidr(ip)))!;
      return { e: m.endpoint(range.id)!, n: { ip } as NaiveEnd };
    }),
  ];
  for (const s of ends) {
    for (const d of ends) {
      if ('ip' in s.n && 'ip' in d.n) continue;
      if (s.e === d.e && s.e.kind === 'workload' && s.e.workload.kind === 'Pod') continue;
      const ports = m.allowed(s.e, d.e);
      for (const [protocol, port] of PROBES) {
        const engine = protocol === 'ICMP' ? ports.other : ports.has(protocol, port);
        const naive = naiveAllowed(c, s.n, d.n, protocol, port);
        if (engine !== naive) {
          throw new Error(`${s.e.id} -> ${d.e.id} ${protocol}/${port}: engine ${engine}, naive ${naive}`);
        }
      }
    }
  }
}

describe('engine agrees with the naive evaluator', () => {
  it('on random clusters, every pair, every probe, and IP peers', () => {
    fc.assert(fc.property(clusterArb, agrees), { numRuns: 300 });
    expect(true).toBe(true);
  });

  it('with AdminNetworkPolicies and a BaselineAdminNetworkPolicy (tiers, priorities, Pass, ports, networks, nodes)', () => {
    fc.assert(fc.property(clusterWithAdminArb, agrees), { numRuns: 400 });
    expect(true).toBe(true);
  });
});

describe('large peer lists (shared groups in sparse rows)', () => {
  it('agree with the naive evaluator when rules match more than GROUP_THRESHOLD peers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ app: fc.constantFrom('a', 'b'), ns: fc.constantFrom('x', 'y') }), { minLength: 70, maxLength: 90 }),
        fc.array(
          fc.record({
            ns: fc.constantFrom('x', 'y'),
            app: fc.constantFrom('a', 'b'),
            from: fc.option(fc.constantFrom('a', 'b')),
            dir: fc.constantFrom('ingress' as const, 'egress' as const),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (ws, ps) => {
          const c = cluster({
            // A distinct label per workload: every workload is its own class, so peer lists are long.
            workloads: ws.map((w, i) => workload(`${w.ns}/w${i}`, { app: w.app, id: String(i) })),
            policies: ps.map((p, i) =>
              policy(`${p.ns}/p${i}`, {
                podSelector: sel({ app: p.app }),
                [p.dir]: [{ peers: [pods(p.from ? sel({ app: p.from }) : sel(), sel())], ports: [tcp(80)] }],
                types: [p.dir === 'ingress' ? 'Ingress' : 'Egress'],
              }),
            ),
          });
          const m = computeMatrix(c);
          for (const s of c.workloads) {
            for (const d of c.workloads) {
              if (s === d) continue;
              for (const port of [80, 81]) {
                const engine = m.allowed(m.endpoint(s.id)!, m.endpoint(d.id)!).has('TCP', port);
                expect(engine).toBe(naiveAllowed(c, { workload: s }, { workload: d }, 'TCP', port));
              }
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
