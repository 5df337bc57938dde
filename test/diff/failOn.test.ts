import { describe, expect, it } from 'vitest';
import { evaluateFailOn } from '../../src/diff/failOn.js';
import { cluster, workload } from '../helpers/model.js';
import { closedLine, crossNamespace, diff, fromInternet, line, noChanges } from '../render/diffFixture.js';

const head = cluster({
  namespaces: { shop: { team: 'payments' }, ops: { team: 'platform' } },
  workloads: [workload('shop/web', { app: 'web' }), workload('shop/db', { app: 'db', tier: 'data' }), workload('ops/mon', { app: 'mon' })],
});

describe('evaluateFailOn', () => {
  it('never fails with no rules or no changes', () => {
    expect(evaluateFailOn(diff(), [])).toEqual({ failed: false, reasons: [], failingLines: [] });
    const all = ['any-opened', 'any-closed', 'opened-cross-namespace', 'opened-from-internet', 'opened-from-outside-cluster'] as const;
    expect(evaluateFailOn(noChanges, [...all, { openedTo: {} }], head).failed).toBe(false);
  });

  it('any-opened / any-closed', () => {
    expect(evaluateFailOn(diff(), ['any-opened'])).toEqual({
      failed: true,
      reasons: ['any-opened: 0.0.0.0/0 -> shop/web:443/TCP now allowed (+1 more)'],
      failingLines: [fromInternet, crossNamespace],
    });
    expect(evaluateFailOn(diff(), ['any-closed'])).toEqual({
      failed: true,
      reasons: ['any-closed: shop/web -> shop/db:5432/TCP no longer allowed'],
      failingLines: [closedLine],
    });
    expect(evaluateFailOn(diff({ lines: [closedLine] }), ['any-opened']).failed).toBe(false);
  });

  it('any-opened counts per-pair deltas even when no line opens (e.g. only a port range widened in a group)', () => {
    const d = diff({ lines: [], opened: [{ src: 'a/x[Pod]', dst: 'a/y[Pod]', all: true }], closed: [] });
    expect(evaluateFailOn(d, ['any-opened']).reasons).toEqual(['any-opened: 1 connection opened']);
  });

  it('flag rules read the flags of opening lines only', () => {
    expect(evaluateFailOn(diff(), ['opened-cross-namespace']).reasons).toEqual([
      'opened-cross-namespace: pods app=mon in ops -> shop/db:5432/TCP now allowed',
    ]);
    expect(evaluateFailOn(diff(), ['opened-from-internet']).failingLines).toEqual([fromInternet]);
    expect(evaluateFailOn(diff(), ['opened-from-outside-cluster']).failingLines).toEqual([fromInternet]);
    const closedFromInternet = line({ direction: 'closed', flags: ['from-internet', 'from-outside-cluster'] });
    expect(evaluateFailOn(diff({ lines: [closedFromInternet] }), ['opened-from-internet']).failed).toBe(false);
  });

  it('a private range is outside the cluster but not the internet', () => {
    const privateRange = line({ flags: ['from-outside-cluster'], text: '10.0.0.0/8 -> shop/db:5432/TCP now allowed' });
    const d = diff({ lines: [privateRange] });
    expect(evaluateFailOn(d, ['opened-from-internet']).failed).toBe(false);
    expect(evaluateFailOn(d, ['opened-from-outside-cluster']).failed).toBe(true);
  });

  it('a new workload reachable from the internet counts as opened', () => {
    const added = line({ direction: 'added', flags: ['from-internet', 'from-outside-cluster'], text: 'new workload shop/api' });
    expect(evaluateFailOn(diff({ lines: [added] }), ['opened-from-internet']).reasons).toEqual([
      'opened-from-internet: new workload shop/api',
    ]);
  });

  it('reports every broken rule, lines once each', () => {
    const r = evaluateFailOn(diff(), ['opened-from-internet', 'opened-from-outside-cluster', 'any-closed']);
    expect(r.reasons).toHaveLength(3);
    expect(r.failingLines).toEqual([fromInternet, closedLine]);
  });

  describe('openedTo', () => {
    it('matches destination pods by podSelector with the head cluster labels', () => {
      const r = evaluateFailOn(diff(), [{ openedTo: { podSelector: { matchLabels: { tier: 'data' } } } }], head);
      expect(r.reasons).toEqual(['openedTo {podSelector: {tier=data}}: pods app=mon in ops -> shop/db:5432/TCP now allowed']);
      expect(r.failingLines).toEqual([crossNamespace]);
    });

    it('matches namespaces by their labels, and both selectors must hold', () => {
      const ns = { matchLabels: { team: 'payments' } };
      expect(evaluateFailOn(diff(), [{ openedTo: { namespaceSelector: ns } }], head).failingLines).toEqual([fromInternet, crossNamespace]);
      expect(
        evaluateFailOn(diff(), [{ openedTo: { namespaceSelector: ns, podSelector: { matchLabels: { app: 'web' } } } }], head).failingLines,
      ).toEqual([fromInternet]);
      expect(evaluateFailOn(diff(), [{ openedTo: { namespaceSelector: { matchLabels: { team: 'platform' } } } }], head).failed).toBe(false);
    });

    it('supports matchExpressions', () => {
      const rule = { openedTo: { podSelector: { matchExpressions: [{ key: 'app', operator: 'In' as const, values: ['web', 'x'] }] } } };
      expect(evaluateFailOn(diff(), [rule], head).reasons).toEqual([
        'openedTo {podSelector: {app In (web, x)}}: 0.0.0.0/0 -> shop/web:443/TCP now allowed',
      ]);
    });

    it('ignores closed lines and IP destinations', () => {
      const egress = line({ to: { text: '0.0.0.0/0', members: ['0.0.0.0/0'] } });
      expect(evaluateFailOn(diff({ lines: [closedLine, egress] }), [{ openedTo: {} }], head).failed).toBe(false);
    });

    it('without the head cluster only the automatic namespace label is known', () => {
      const byName = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } };
      expect(evaluateFailOn(diff(), [{ openedTo: byName }]).failed).toBe(true);
      expect(evaluateFailOn(diff(), [{ openedTo: { podSelector: { matchLabels: { app: 'web' } } } }]).failed).toBe(false);
    });
  });
});
