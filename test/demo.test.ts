// `npm run demo` runs in CI: the pull-request job on the bundled example must print this comment.
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo.js';

describe('npm run demo', () => {
  it('prints the failing check run and the comment for the bundled example pull request', async () => {
    let out = '';
    const conclusion = await runDemo((s) => (out += s));
    expect(conclusion).toBe('failure');
    expect(out).toContain('Check run "netpol": failure — 1 opened, 1 closed\n');
    expect(out).toContain(
      'annotation failure k8s/policies.yaml:40: any pod in any namespace -> shop/backend on 3000/TCP: now allowed (before: only shop/frontend)',
    );
    expect(out).toContain('**netpol:** 1 path opened, 1 closed');
    expect(out).toContain('← NetworkPolicy `shop/backend` (edited, ingress rule 1, `k8s/policies.yaml:40`)');
    expect(out).toContain('← NetworkPolicy `shop/db` (edited, ingress rule 2, `k8s/policies.yaml:64`)');
    expect(out).toContain('| opened | `marketing/campaigns[Deployment]` | `shop/backend[Deployment]` | 3000/TCP |');
    expect(out).toContain('| closed | `monitoring/prometheus[Deployment]` | `shop/db[StatefulSet]` | 9187/TCP |');
    expect(out).toContain('```mermaid');
  });
});
