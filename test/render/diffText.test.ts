import { describe, expect, it } from 'vitest';
import { diffText } from '../../src/render/diffText.js';
import { diff, line, noChanges } from './diffFixture.js';

/** The last section of the text, the same for diff() and noChanges (they describe the same two sides). */
const ANALYSED = `What was analysed
  base aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 3 files (5 documents), 2 namespaces, 3 workloads, 2 policies
    skipped: 2 Service (not a workload or NetworkPolicy)
  head bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb: 3 files (5 documents), 2 namespaces, 3 workloads, 3 policies
    skipped: 2 Service (not a workload or NetworkPolicy)
    skipped: 1 Ingress (not modelled)
`;

const EXPECTED = `netpol: 2 paths opened, 1 closed, 1 from outside the cluster (1 from the internet)

Opened (2)
  [critical] 0.0.0.0/0 -> shop/web:443/TCP now allowed
      ← NetworkPolicy shop/web-ingress (added, ingress rule 1, policies/web.yaml:12)
  [medium] pods app=mon in ops -> shop/db:5432/TCP now allowed
      ← NetworkPolicy shop/db-policy (edited, ingress rule 2, policies/db.yaml:20)

Closed (1)
  [low] shop/web -> shop/db:5432/TCP no longer allowed
      ← Deployment shop/web[Deployment] (labels changed, apps/web.yaml:3): labels app=web -> app=frontend

Per-pair changes: 2 opened, 1 closed
  + 0.0.0.0/0 -> shop/web[Deployment]  443/TCP
  + ops/mon[Deployment] -> shop/db[Deployment]  5432/TCP
  - shop/web[Deployment] -> shop/db[Deployment]  5432/TCP

Diagnostics (1)
  warning policies/db.yaml:7: named port "pg" resolves on no destination

${ANALYSED}`;

describe('diffText', () => {
  it('renders the same content as the comment, for a terminal', () => {
    expect(diffText(diff())).toBe(EXPECTED);
    expect(diffText(diff(), { color: false })).toBe(EXPECTED);
  });

  it('says "No reachability changes" with what was analysed', () => {
    expect(diffText(noChanges)).toBe(`netpol: No reachability changes

${ANALYSED}`);
  });

  it('colours only when asked, and then the same text underneath', () => {
    const coloured = diffText(diff(), { color: true });
    expect(coloured).toContain('\x1b[1;31m[critical]\x1b[0m 0.0.0.0/0 -> shop/web:443/TCP now allowed');
    expect(coloured).toContain('\x1b[33m[medium]\x1b[0m');
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(EXPECTED);
    expect(diffText(diff())).not.toContain('\x1b');
  });

  it('strips terminal escapes and line breaks from manifest strings', () => {
    const evil = 'web\x1b[2J\x1b]0;pwned\x07\nfake line\u202E';
    const out = diffText(diff({ lines: [line({ text: evil })], diagnostics: [{ file: evil, line: 1, severity: 'error', message: evil }] }));
    expect(out).not.toContain('\x1b');
    expect(out).not.toContain('\x07');
    expect(out).not.toContain('\u202E');
    expect(out).toContain('[low] web[2J]0;pwned fake line');
  });
});
