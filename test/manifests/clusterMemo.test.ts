// buildCluster hands back the cluster it built before when every file parses to the same cached documents
// (the merge base rebuilt on every push), and builds anew for any change of files, paths or options.
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../../src/manifests/buildCluster.js';
import { deploymentYaml, docs, namespaceYaml, policyYaml } from '../helpers/yamlWorld.js';

const world = docs(namespaceYaml('shop'), deploymentYaml('shop', 'web', { app: 'web' }), deploymentYaml('shop', 'db', { app: 'db' }));
const deny = policyYaml('shop', 'deny', 'podSelector: {matchLabels: {app: db}}\npolicyTypes: [Ingress]');
const files = () => [{ path: 'w.yaml', text: world }, { path: 'p.yaml', text: deny }];

describe('buildCluster keeps the last clusters by their parsed files', () => {
  it('the same files give the same cluster, also after another cluster was built in between', () => {
    const base = buildCluster(files());
    const head = buildCluster([...files(), { path: 'q.yaml', text: policyYaml('shop', 'web', 'podSelector: {}') }]);
    expect(head).not.toBe(base);
    expect(buildCluster(files())).toBe(base);
    expect(buildCluster(files())).toBe(base);
  });

  it('a changed text, another path, another order or other options build a new cluster', () => {
    const base = buildCluster(files());
    const relabelled = buildCluster([{ path: 'w.yaml', text: world.replaceAll('"app":"web"', '"app":"www"') }, files()[1]!]);
    expect(relabelled).not.toBe(base);
    expect(relabelled.workloads.map((w) => w.labels.app)).toContain('www');
    expect(buildCluster([{ path: 'x.yaml', text: world }, files()[1]!])).not.toBe(base);
    expect(buildCluster([...files()].reverse())).not.toBe(base);
    const other = buildCluster(files(), { assumedNamespaces: { other: { labels: { team: 'x' } } } });
    expect(other).not.toBe(base);
    expect(other.assumedNamespaces).toBeDefined();
  });
});

describe('the same text at another path (two checkouts side by side)', () => {
  it('shares what reading each object gave, not the records, which carry their own path', () => {
    const a = buildCluster([{ path: 'a/w.yaml', text: world }, { path: 'a/p.yaml', text: deny }]);
    const b = buildCluster([{ path: 'b/w.yaml', text: world }, { path: 'b/p.yaml', text: deny }]);
    const [pa, pb] = [a.policies[0]!, b.policies[0]!];
    expect(pb).not.toBe(pa);
    expect(pb.source.file).toBe('b/p.yaml');
    expect(pb.podSelector).toBe(pa.podSelector);
    expect(pb.specKey).toBe(pa.specKey);
    const c = buildCluster([{ path: 'c/w.yaml', text: world }, { path: 'c/p.yaml', text: deny.replace('app: db', 'app: web') }]);
    expect(c.policies[0]!.podSelector).not.toBe(pa.podSelector);
    expect(c.policies[0]!.podSelector.matchLabels).toEqual({ app: 'web' });
  });
});
