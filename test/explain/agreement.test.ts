import { describe, expect, it } from 'vitest';
import { computeMatrix, type Endpoint } from '../../src/engine/matrix.js';
import { explainConnection } from '../../src/explain/explainConnection.js';
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
