// The diff compares only the pairs a change can touch. One row per kind of change that makes pairs dirty,
// each built so that the changed pair is between two workloads the change does not name directly (the
// case a too-narrow shortcut would miss); the shortcut must equal the exhaustive comparison.
import { describe, expect, it } from 'vitest';
import { diffMatrices } from '../../src/diff/diffMatrices.js';
import { computeMatrix } from '../../src/engine/matrix.js';
import type { Cluster } from '../../src/manifests/model.js';
import { cluster, pods, policy, sel, tcp, workload } from '../helpers/model.js';

const ws = () => [workload('x/a', { app: 'a' }, { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }), workload('y/b', { app: 'b' })];

const rows: [string, Cluster, Cluster][] = [
  [
    'a namespace relabel changes what a namespaceSelector in another namespace matches',
    cluster({ namespaces: { x: { team: 'red' }, y: {} }, workloads: ws(), policies: [policy('y/p', { ingress: [{ peers: [pods(undefined, sel({ team: 'red' }))] }] })] }),
    cluster({ namespaces: { x: { team: 'blue' }, y: {} }, workloads: ws(), policies: [policy('y/p', { ingress: [{ peers: [pods(undefined, sel({ team: 'red' }))] }] })] }),
  ],
  [
    'a workload relabel changes what a podSelector of another namespace matches (egress)',
    cluster({ workloads: ws(), policies: [policy('y/p', { egress: [{ peers: [pods(sel({ app: 'a' }), sel())] }], types: ['Egress'] })] }),
    cluster({
      workloads: [workload('x/a', { app: 'z' }, { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }), workload('y/b', { app: 'b' })],
      policies: [policy('y/p', { egress: [{ peers: [pods(sel({ app: 'a' }), sel())] }], types: ['Egress'] })],
    }),
  ],
  [
    'a container port rename changes where an egress named port resolves',
    cluster({ workloads: ws(), policies: [policy('y/p', { egress: [{ ports: [tcp('http')] }], types: ['Egress'] })] }),
    cluster({
      workloads: [workload('x/a', { app: 'a' }, { ports: [{ name: 'web', port: 80, protocol: 'TCP' }] }), workload('y/b', { app: 'b' })],
      policies: [policy('y/p', { egress: [{ ports: [tcp('http')] }], types: ['Egress'] })],
    }),
  ],
  [
    'an edited ingress policy changes pairs into the workloads it selects',
    cluster({ workloads: ws(), policies: [policy('x/p', { ingress: [{ ports: [tcp(80)] }] })] }),
    cluster({ workloads: ws(), policies: [policy('x/p', { ingress: [{ ports: [tcp(81)] }] })] }),
  ],
  [
    'a removed egress policy changes pairs out of the workloads it selected',
    cluster({ workloads: ws(), policies: [policy('y/p', { types: ['Egress'] })] }),
    cluster({ workloads: ws(), policies: [] }),
  ],
];

describe('dirty pairs: the shortcut equals the exhaustive diff', () => {
  it.each(rows)('%s', (_name, a, b) => {
    const ma = computeMatrix(a);
    const mb = computeMatrix(b);
    const full = diffMatrices(ma, mb, { exhaustive: true });
    expect(full.opened.length + full.closed.length).toBeGreaterThan(0);
    expect(diffMatrices(ma, mb)).toEqual(full);
  });
});
