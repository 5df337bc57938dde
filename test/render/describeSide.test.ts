import { describe, expect, it } from 'vitest';
import { describeSideCounts } from '../../src/render/describeSide.js';

describe('describeSideCounts', () => {
  const side = { files: 3, documents: 5, namespaces: 2, workloads: 4, policies: 1, skipped: [] };
  it('counts, singular and plural', () => {
    expect(describeSideCounts(side)).toBe('3 files (5 documents), 2 namespaces, 4 workloads, 1 policy');
  });
  it('names admin policies and the assumed world when there are any', () => {
    expect(describeSideCounts({ ...side, adminPolicies: 2, assumedNamespaces: ['kube-system', 'ingress-nginx'] })).toBe(
      '3 files (5 documents), 2 namespaces, 4 workloads, 1 policy, 2 admin policies; assumed namespaces: kube-system, ingress-nginx',
    );
  });
});
