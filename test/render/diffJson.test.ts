import { describe, expect, it } from 'vitest';
import { diffJson } from '../../src/render/diffJson.js';
import { diff, fromInternet, noChanges } from './diffFixture.js';

describe('diffJson', () => {
  it('has exactly the documented top-level fields, ids as in matrix JSON, deltas only per pair', () => {
    const json = JSON.parse(JSON.stringify(diffJson(diff())));
    expect(Object.keys(json)).toEqual(['base', 'head', 'opened', 'closed', 'summary', 'diagnostics']);
    expect(json.opened).toEqual([
      { src: '0.0.0.0/0', dst: 'shop/web[Deployment]', ports: { TCP: [[443, 443]], UDP: [], SCTP: [] } },
      { src: 'ops/mon[Deployment]', dst: 'shop/db[Deployment]', ports: { TCP: [[5432, 5432]], UDP: [], SCTP: [] } },
    ]);
    expect(json.closed).toEqual([
      { src: 'shop/web[Deployment]', dst: 'shop/db[Deployment]', ports: { TCP: [[5432, 5432]], UDP: [], SCTP: [] } },
    ]);
    expect(json.base).toEqual({
      ref: 'a'.repeat(40),
      files: 3,
      documents: 5,
      namespaces: 2,
      workloads: 3,
      policies: 2,
      skipped: [{ kind: 'Service', count: 2, reasons: ['not a workload or NetworkPolicy'] }],
    });
    expect(json.diagnostics).toEqual([
      { file: 'policies/db.yaml', line: 7, severity: 'warning', message: 'named port "pg" resolves on no destination' },
    ]);
  });

  it('lists every summary line in rank order with text, risk, direction and attribution first', () => {
    const json = JSON.parse(JSON.stringify(diffJson(diff())));
    expect(json.summary.map((s: { text: string }) => s.text)).toEqual([
      '0.0.0.0/0 -> shop/web:443/TCP now allowed',
      'pods app=mon in ops -> shop/db:5432/TCP now allowed',
      'shop/web -> shop/db:5432/TCP no longer allowed',
    ]);
    expect(Object.keys(json.summary[0]).slice(0, 4)).toEqual(['text', 'risk', 'direction', 'attribution']);
    expect(json.summary[0]).toEqual({
      text: '0.0.0.0/0 -> shop/web:443/TCP now allowed',
      risk: 'critical',
      direction: 'opened',
      attribution: fromInternet.attribution, // as the line carries it: kind, id, change, file, line, rule
      flags: ['from-internet', 'from-outside-cluster'],
      from: { text: '0.0.0.0/0', members: ['0.0.0.0/0'] },
      to: { text: 'shop/web', members: ['shop/web[Deployment]'] },
      ports: { ports: { TCP: [[443, 443]], UDP: [], SCTP: [] } },
    });
  });

  it('is complete however large the diff (no bound, unlike the comment)', () => {
    const lines = Array.from({ length: 5000 }, () => diff().lines[2]!);
    expect(diffJson(diff({ lines })).summary).toHaveLength(5000);
  });

  it('no changes: empty lists, sides still described', () => {
    const json = diffJson(noChanges);
    expect(json.opened).toEqual([]);
    expect(json.summary).toEqual([]);
    expect(json.head.policies).toBe(3);
  });
});
