import { describe, expect, it } from 'vitest';
import { computeMatrix } from '../../src/engine/matrix.js';
import { buildCluster } from '../../src/manifests/buildCluster.js';
import { deploymentYaml, docs, namespaceYaml, policyYaml } from '../helpers/yamlWorld.js';

const world = docs(namespaceYaml('shop'), deploymentYaml('shop', 'web', { app: 'web' }), deploymentYaml('shop', 'db', { app: 'db' }));
const deny = policyYaml('shop', 'deny', 'podSelector: {matchLabels: {app: db}}\npolicyTypes: [Ingress]');

describe('computeMatrix is memoised on the records the loader shares between builds', () => {
  it('a second build of the same files reuses the matrix, answering with the new cluster', () => {
    const files = [{ path: 'w.yaml', text: world }, { path: 'p.yaml', text: deny }];
    const a = buildCluster(files);
    const b = buildCluster(files);
    const ma = computeMatrix(a);
    const mb = computeMatrix(b);
    expect(mb.cluster).toBe(b);
    expect(mb.ipRanges).toBe(ma.ipRanges);
    expect(mb.connections().map((c) => `${c.src.id}>${c.dst.id}`)).toEqual(ma.connections().map((c) => `${c.src.id}>${c.dst.id}`));
  });

  it('a changed policy or namespace label is a different matrix', () => {
    const base = computeMatrix(buildCluster([{ path: 'w.yaml', text: world }, { path: 'p.yaml', text: deny }]));
    const open = computeMatrix(buildCluster([{ path: 'w.yaml', text: world }]));
    expect(open.ipRanges).not.toBe(base.ipRanges);
    const db = (m: typeof base) => m.endpoint('shop/db[Deployment]')!;
    const web = (m: typeof base) => m.endpoint('shop/web[Deployment]')!;
    expect(base.allowed(web(base), db(base)).isEmpty()).toBe(true);
    expect(open.allowed(web(open), db(open)).isAll()).toBe(true);
    const relabelled = computeMatrix(buildCluster([{ path: 'w.yaml', text: world.replace('name: shop\n  labels: {}', 'name: shop\n  labels: {"t":"x"}') }, { path: 'p.yaml', text: deny }]));
    // A different matrix (it may share the prior's IP ranges: the same blocks give the same partition).
    expect(relabelled).not.toBe(base);
    expect(relabelled.cluster.namespaces.get('shop')!.labels.t).toBe('x');
  });
});
