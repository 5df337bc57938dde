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
