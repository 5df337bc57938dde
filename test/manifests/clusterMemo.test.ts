// buildCluster hands back the cluster it built before for the same files (the merge base rebuilt on every
// push: the same objects, or the same paths and texts fetched anew), without parsing them, derives the head
// of a pull request from it parsing only the changed files, and builds anew for any change of files, paths
// or options.
import { afterEach, describe, expect, it } from 'vitest';
import { buildCluster, clusterBuilds, setClusterReuse } from '../../src/manifests/buildCluster.js';
import type { ManifestFile } from '../../src/manifests/model.js';
import { ParseCache } from '../../src/manifests/parseCache.js';
import { configureParsing, parseFile, type CachedParse } from '../../src/manifests/parseFile.js';
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

describe('files are matched to a recent build without parsing', () => {
  const restore = configureParsing({});
  afterEach(() => void configureParsing(restore));

  /** A parse cache of its own, to count what a build parses: every parse is a hit or a miss. */
  const counted = () => {
    const cache = new ParseCache<CachedParse>();
    configureParsing({ cache });
    return () => cache.hits + cache.misses;
  };
  /** The same path and text in a new object and a new string (what a fetch of the same blob gives). */
  const refetched = (f: ManifestFile): ManifestFile => ({ path: f.path, text: ` ${f.text}`.slice(1) });
  const policy = (i: number) => policyYaml('shop', `p${i}`, `podSelector: {matchLabels: {app: db}}\ningress: [{from: [{podSelector: {matchLabels: {n: "${i}"}}}]}]`);
  const repo = () => [{ path: 'w.yaml', text: world }, ...Array.from({ length: 20 }, (_, i) => ({ path: `p${String(i).padStart(2, '0')}.yaml`, text: policy(i) }))];
  const scratch = (files: ManifestFile[]) => {
    const was = setClusterReuse(false);
    try {
      return buildCluster(files);
    } finally {
      setClusterReuse(was);
    }
  };

  it('the same objects, or new objects with the same paths and texts, give the cluster back with no parse', () => {
    const parses = counted();
    const files = repo();
    const base = buildCluster(files);
    const before = parses();
    expect(buildCluster(files)).toBe(base);
    expect(buildCluster(files.map(refetched))).toBe(base);
    // Content keys known on both sides (both parsed before) are compared instead of the texts.
    const again = files.map(refetched);
    for (const f of again) parseFile(f);
    const known = parses();
    expect(buildCluster(again)).toBe(base);
    expect(parses()).toBe(known);
    expect(known - before).toBe(again.length);
  });

  it('the head of a pull request parses only its changed and added files, also when fetched anew', () => {
    const parses = counted();
    const files = repo();
    const base = buildCluster(files);
    const head = files.map(refetched);
    head[3] = { path: 'p02.yaml', text: policy(99) };
    expect(head.splice(7, 1)[0]!.path).toBe('p06.yaml');
    head.splice(12, 0, { path: 'p10b.yaml', text: policy(100) });
    head.push({ path: 'z.yaml', text: policy(101) });
    const [before, derived] = [parses(), clusterBuilds.derived];
    const built = buildCluster(head);
    expect(parses() - before).toBe(3);
    expect(clusterBuilds.derived).toBe(derived + 1);
    expect(built).toStrictEqual(scratch(head));
    expect(built.policies.map((p) => p.name)).toContain('p99');
    // Unchanged records are the base's; the texts are the head's, in file order.
    expect(built.policies[0]).toBe(base.policies[0]);
    expect([...built.texts.keys()]).toEqual(head.map((f) => f.path));
    expect([built.texts.get('p02.yaml'), built.texts.has('p06.yaml'), built.texts.size]).toEqual([policy(99), false, head.length]);
    expect(buildCluster(files)).toBe(base);
  });

  it('parsing set otherwise (sniffing) builds anew: the same files may read differently', () => {
    const files = repo();
    const base = buildCluster(files);
    configureParsing({ sniff: false });
    const full = buildCluster(files);
    expect(full).not.toBe(base);
    expect(full).toStrictEqual(scratch(files));
    configureParsing({ sniff: true });
    expect(buildCluster(files)).toBe(base);
  });

  it('a path that repeats or a file moved is built from scratch, and the same', () => {
    const files = repo();
    buildCluster(files);
    const twice = [...files, { path: files[5]!.path, text: policy(50) }];
    expect(buildCluster(twice)).toStrictEqual(scratch(twice));
    buildCluster(files);
    const swapped = [files[0]!, files[2]!, files[1]!, ...files.slice(3)];
    expect(buildCluster(swapped)).toStrictEqual(scratch(swapped));
  });
});
