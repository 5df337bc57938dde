import { describe, expect, it } from 'vitest';
import { computeMatrix, type Endpoint } from '../../src/engine/matrix.js';
import { explainConnection } from '../../src/explain/explainConnection.js';
import { resolveEndpoint } from '../../src/explain/resolveEndpoint.js';
import type { ExplainEndpoint } from '../../src/explain/types.js';
import { shop } from './fixture.js';

const asExplain = (e: Endpoint): ExplainEndpoint =>
  e.kind === 'workload' ? e : { kind: 'ip', id: e.id, set: e.range.set };

describe('explainConnection agrees with the matrix', () => {
  it('over every pair of endpoints of the fixture (IP to IP excluded: outside the model)', () => {
    const m = computeMatrix(shop());
    let pairs = 0;
    for (const s of m.endpoints) {
      for (const d of m.endpoints) {
        if (s.kind === 'ip' && d.kind === 'ip') continue;
        const e = explainConnection(m, { from: asExplain(s), to: asExplain(d) });
        const expected = m.allowed(s, d);
        expect(e.allowedPorts.key(), `${s.id} -> ${d.id}`).toBe(expected.key());
        expect(e.verdict, `${s.id} -> ${d.id}`).toBe(expected.isAll() ? 'allowed' : expected.isEmpty() ? 'denied' : 'partially');
        pairs++;
      }
    }
    expect(pairs).toBeGreaterThan(40);
  });
});

describe('explainConnection agrees with the matrix on single ports', () => {
  it('the verdict for TCP 3000, TCP 443, TCP 5432, UDP 53 and port names is allowed iff the matrix has the port', () => {
    const m = computeMatrix(shop());
    const probes = [
      { port: 3000, protocol: 'TCP' as const },
      { port: 443, protocol: 'TCP' as const },
      { port: 5432, protocol: 'TCP' as const },
      { port: 53, protocol: 'UDP' as const },
    ];
    for (const s of m.endpoints) {
      for (const d of m.endpoints) {
        if (s.kind === 'ip' && d.kind === 'ip') continue;
        for (const p of probes) {
          const e = explainConnection(m, { from: asExplain(s), to: asExplain(d), ...p });
          const has = m.allowed(s, d).has(p.protocol, p.port);
          expect(e.verdict, `${s.id} -> ${d.id} ${p.protocol} ${p.port}`).toBe(has ? 'allowed' : 'denied');
        }
        if (d.kind === 'workload') {
          for (const cp of d.workload.ports) {
            if (!cp.name) continue;
            const e = explainConnection(m, { from: asExplain(s), to: asExplain(d), port: cp.name, protocol: cp.protocol });
            expect(e.verdict).toBe(m.allowed(s, d).has(cp.protocol, cp.port) ? 'allowed' : 'denied');
          }
        }
      }
    }
  });
});

describe('explainConnection agrees with the matrix per direction and for any address set', () => {
  it('each chain allows what matrix.egressAllowed / ingressAllowed say', () => {
    const m = computeMatrix(shop());
    for (const s of m.endpoints) {
      for (const d of m.endpoints) {
        if (s.kind === 'ip' && d.kind === 'ip') continue;
        const e = explainConnection(m, { from: asExplain(s), to: asExplain(d) });
        expect(e.egress.allowedPorts.key(), `egress ${s.id} -> ${d.id}`).toBe(m.egressAllowed(s, d).key());
        expect(e.ingress.allowedPorts.key(), `ingress ${s.id} -> ${d.id}`).toBe(m.ingressAllowed(s, d).key());
      }
    }
  });

  it('an address set that is not one of the matrix ranges gets the union of the ranges it overlaps', () => {
    const m = computeMatrix(shop());
    const sets = ['internet', '10.0.0.0/8', '10.1.2.3', '182.213.0.0/16', '182.213.1.0/24', '2001:db8::/32'];
    for (const q of sets) {
      const r = resolveEndpoint(m, q);
      if (!r.ok || r.endpoint.kind !== 'ip') throw new Error(q);
      const ip = r.endpoint;
      const ranges = m.endpoints.filter((x) => x.kind === 'ip' && x.range.set.overlaps(ip.set));
      for (const w of m.endpoints) {
        if (w.kind !== 'workload') continue;
        const cases = [
          { e: explainConnection(m, { from: w, to: ip }), perRange: ranges.map((x) => m.allowed(w, x)), name: `${w.id} -> ${q}` },
          { e: explainConnection(m, { from: ip, to: w }), perRange: ranges.map((x) => m.allowed(x, w)), name: `${q} -> ${w.id}` },
        ];
        for (const { e, perRange, name } of cases) {
          expect(e.allowedPorts.key(), name).toBe(perRange.reduce((a, b) => a.union(b)).key());
          const verdict = perRange.every((p) => p.isAll()) ? 'allowed' : perRange.every((p) => p.isEmpty()) ? 'denied' : 'partially';
          expect(e.verdict, name).toBe(verdict);
        }
      }
    }
  });
});
