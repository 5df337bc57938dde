import { describe, expect, it } from 'vitest';
import { summarizeSkipped } from '../../src/manifests/summarize.js';
import type { SkippedObject } from '../../src/manifests/model.js';

const s = (kind: string, reason: string): SkippedObject => ({ kind, reason, source: { file: 'f', line: 1, doc: 0, path: [] } });

describe('summarizeSkipped', () => {
  it('groups by kind, most frequent first, ties by kind, distinct reasons in first-seen order', () => {
    expect(
      summarizeSkipped([
        s('Service', 'not modelled'),
        s('ConfigMap', 'not modelled'),
        s('Pod', 'managed by ns/a[ReplicaSet]'),
        s('Service', 'not modelled'),
        s('Pod', 'missing metadata.name'),
        s('Pod', 'managed by ns/a[ReplicaSet]'),
      ]),
    ).toEqual([
      { kind: 'Pod', count: 3, reasons: ['managed by ns/a[ReplicaSet]', 'missing metadata.name'] },
      { kind: 'Service', count: 2, reasons: ['not modelled'] },
      { kind: 'ConfigMap', count: 1, reasons: ['not modelled'] },
    ]);
  });

  it('nothing skipped: nothing to say', () => {
    expect(summarizeSkipped([])).toEqual([]);
  });
});
