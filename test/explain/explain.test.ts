import { describe, expect, it } from 'vitest';
import { computeMatrix } from '../../src/engine/matrix.js';
import { explain } from '../../src/explain/explain.js';
import { cluster, policy, workload } from '../helpers/model.js';
import { shop } from './fixture.js';

describe('explain(): what the user typed, resolved without guessing', () => {
  const m = computeMatrix(
    cluster({
      workloads: [workload('a/x'), workload('b/x')],
      policies: [policy('a/deny', { ingress: [] }), policy('b/deny', { ingress: [] }), policy('b/only', { ingress: [] })],
    }),
  );

  it('--policy by name when unique; ambiguous and unknown names list candidates', () => {
    expect(explain(m, { policy: 'only' })).toMatchObject({ kind: 'policies', policies: [{ id: 'b/only' }] });
    expect(explain(m, { policy: 'deny' })).toEqual({
      kind: 'error',
      error: '"deny" matches 2 policies; name one as ns/name',
      candidates: ['a/deny', 'b/deny'],
    });
    expect(explain(m, { policy: 'c/deny' })).toEqual({ kind: 'error', error: 'no NetworkPolicy "c/deny"', candidates: ['a/deny', 'b/deny'] });
  });

  it('without --policy: every policy, with every warning', () => {
    const r = explain(m, {});
    expect(r.kind === 'policies' && r.policies.map((p) => p.id)).toEqual(['a/deny', 'b/deny', 'b/only']);
  });

  it('an ambiguous --to names the flag and lists the candidates', () => {
    expect(explain(m, { from: 'a/x', to: 'x:80' })).toEqual({
      kind: 'error',
      error: '--to: "x" matches 2 workloads; name one of them as ns/name[Kind]',
      candidates: ['a/x[Deployment]', 'b/x[Deployment]'],
    });
  });

  it('two addresses: outside what NetworkPolicy governs', () => {
    expect(explain(computeMatrix(shop()), { from: 'internet', to: '10.0.0.1:80' })).toEqual({
      kind: 'error',
      error: 'internet and 10.0.0.1 are both outside the cluster: NetworkPolicy governs only traffic to or from pods',
      candidates: [],
    });
  });

  it('a bad target is reported before any lookup', () => {
    expect(explain(m, { from: 'nope', to: 'a/x:99999' })).toEqual({
      kind: 'error',
      error: '"a/x:99999": port 99999 is not in 1-65535',
      candidates: [],
    });
  });
});

describe('explain(): port and protocol given apart (the app parses its command itself)', () => {
  it('a bare IPv6 destination keeps its colons', () => {
    const m = computeMatrix(shop());
    const r = explain(m, { from: 'web', to: '2001:db8::1', port: 443, protocol: 'TCP' });
    expect(r.kind === 'connection' && [r.explanation.to.id, r.explanation.asked.text, r.explanation.verdict]).toEqual([
      '2001:db8::1',
      'TCP 443',
      'denied',
    ]);
    const named = explain(m, { from: 'frontend', to: 'backend', port: 'http' });
    expect(named.kind === 'connection' && named.explanation.asked.text).toBe('TCP 3000 (port named http)');
  });
});
