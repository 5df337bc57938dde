// Hand-built ReachabilityDiff values for renderer tests, so that the renderers are tested against the
// contract (src/diff/types.ts) independently of how diffMatrices groups lines.
import type { DiffLine, PairDelta, ReachabilityDiff, SideSummary } from '../../src/diff/types.js';

export const BASE_SHA = 'a'.repeat(40);
export const HEAD_SHA = 'b'.repeat(40);

export function side(overrides: Partial<SideSummary> = {}): SideSummary {
  return { files: 3, documents: 5, namespaces: 2, workloads: 3, policies: 2, skipped: [], ...overrides };
}

const tcp = (port: number) => ({ ports: { TCP: [[port, port]], UDP: [], SCTP: [] } });

export function line(overrides: Partial<DiffLine> = {}): DiffLine {
  return {
    direction: 'opened',
    risk: 'low',
    flags: [],
    text: 'shop/web -> shop/db:5432/TCP now allowed',
    from: { text: 'shop/web', members: ['shop/web[Deployment]'] },
    to: { text: 'shop/db', members: ['shop/db[Deployment]'] },
    ports: tcp(5432),
    attribution: [],
    pairs: [],
    ...overrides,
  };
}

export const fromInternet: DiffLine = line({
  risk: 'critical',
  flags: ['from-internet', 'from-outside-cluster'],
  text: '0.0.0.0/0 -> shop/web:443/TCP now allowed',
  from: { text: '0.0.0.0/0', members: ['0.0.0.0/0'] },
  to: { text: 'shop/web', members: ['shop/web[Deployment]'] },
  ports: tcp(443),
  attribution: [
    {
      kind: 'NetworkPolicy',
      id: 'shop/web-ingress',
      change: 'added',
      file: 'policies/web.yaml',
      line: 12,
      rule: { direction: 'ingress', index: 0 },
    },
  ],
  pairs: [{ src: '0.0.0.0/0', dst: 'shop/web[Deployment]', ...tcp(443) }],
});

export const crossNamespace: DiffLine = line({
  risk: 'medium',
  flags: ['cross-namespace'],
  text: 'pods app=mon in ops -> shop/db:5432/TCP now allowed',
  from: { text: 'pods app=mon in ops', members: ['ops/mon[Deployment]'] },
  attribution: [
    {
      kind: 'NetworkPolicy',
      id: 'shop/db-policy',
      change: 'edited',
      file: 'policies/db.yaml',
      line: 20,
      rule: { direction: 'ingress', index: 1 },
    },
  ],
  pairs: [{ src: 'ops/mon[Deployment]', dst: 'shop/db[Deployment]', ...tcp(5432) }],
});

export const closedLine: DiffLine = line({
  direction: 'closed',
  risk: 'low',
  text: 'shop/web -> shop/db:5432/TCP no longer allowed',
  attribution: [
    {
      kind: 'Deployment',
      id: 'shop/web[Deployment]',
      change: 'labels changed',
      file: 'apps/web.yaml',
      line: 3,
      detail: 'labels app=web -> app=frontend',
    },
  ],
  pairs: [{ src: 'shop/web[Deployment]', dst: 'shop/db[Deployment]', ...tcp(5432) }],
});

export function diff(overrides: Partial<ReachabilityDiff> = {}): ReachabilityDiff {
  const lines = overrides.lines ?? [fromInternet, crossNamespace, closedLine];
  const pairsOf = (dir: 'opened' | 'closed'): PairDelta[] =>
    lines.filter((l) => (dir === 'opened' ? l.direction === 'opened' || l.direction === 'added' : l.direction === 'closed')).flatMap((l) => l.pairs);
  return {
    base: side({ ref: BASE_SHA, skipped: [{ kind: 'Service', count: 2, reasons: ['not a workload or NetworkPolicy'] }] }),
    head: side({
      ref: HEAD_SHA,
      policies: 3,
      skipped: [
        { kind: 'Service', count: 2, reasons: ['not a workload or NetworkPolicy'] },
        { kind: 'Ingress', count: 1, reasons: ['not modelled'] },
      ],
    }),
    opened: pairsOf('opened'),
    closed: pairsOf('closed'),
    lines,
    diagnostics: [{ file: 'policies/db.yaml', line: 7, severity: 'warning', message: 'named port "pg" resolves on no destination' }],
    ...overrides,
  };
}

export const noChanges: ReachabilityDiff = diff({ lines: [], opened: [], closed: [], diagnostics: [] });

/** The Mermaid graph of diff(): what diffMermaid draws, and what diffMarkdown embeds in the comment. */
export const DIFF_MERMAID = `flowchart LR
  subgraph s1 ["ops"]
    n3["pods app=mon in ops"]
  end
  subgraph s2 ["shop"]
    n2["shop/web"]
    n4["shop/db"]
  end
  n1(["0.0.0.0/0"])
  n1 -->|"443/TCP"| n2
  n3 -->|"5432/TCP"| n4
  n2 -.->|"5432/TCP"| n4`;
