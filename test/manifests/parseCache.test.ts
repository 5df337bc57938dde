// The parse cache shares parsed documents between every cluster built from the same text, so nothing
// downstream may mutate them; and sniffing must not change what is analysed.
import { afterEach, describe, expect, it } from 'vitest';
import { generateTier, TIERS } from '../../src/bench/generate.js';
import { diffMatrices } from '../../src/diff/diffMatrices.js';
import { computeMatrix } from '../../src/engine/matrix.js';
import { explain } from '../../src/explain/index.js';
import { buildCluster, readManifestFiles } from '../../src/manifests/index.js';
import type { Cluster, ManifestFile } from '../../src/manifests/model.js';
import { contentKey, ParseCache } from '../../src/manifests/parseCache.js';
import { configureParsing, knownContentKey, parseFile, type CachedParse } from '../../src/manifests/parseFile.js';
import { deepFreeze } from '../helpers/deepFreeze.js';

const restore = configureParsing({});
afterEach(() => void configureParsing(restore));

const view = (c: Cluster) => ({
  namespaces: [...c.namespaces.values()],
  workloads: c.workloads,
  policies: c.policies,
  diagnostics: c.diagnostics,
  skipped: c.skipped,
  documentCount: c.documentCount,
});

describe('the bench generator', () => {
  it('writes clusters that load without a diagnostic, with a pull request that changes reachability', () => {
    const tier = generateTier(TIERS.small!, 5);
    const c = buildCluster(tier.base);
    expect(c.diagnostics).toEqual([]);
    expect([c.workloads.length, c.policies.length, c.namespaces.size]).toEqual([200, 100, 20]);
    const head = buildCluster(tier.base.map((f) => tier.prs[0]!.find((p) => p.path === f.path) ?? f));
    expect(head.diagnostics).toEqual([]);
    const d = diffMatrices(computeMatrix(c), computeMatrix(head));
    expect(d.opened.length).toBeGreaterThan(0);
  });
});

describe('contentKey', () => {
  it('is the git blob id', () => {
    expect(contentKey('')).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    expect(contentKey('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });
});

describe('ParseCache', () => {
  it('evicts the least recently used entries past its bound', () => {
    const c = new ParseCache<string>(10);
    c.set('a', 'A', 4);
    c.set('b', 'B', 4);
    c.get('a');
    c.set('c', 'C', 4);
    expect([c.has('a'), c.has('b'), c.has('c'), c.bytes]).toEqual([true, false, true, 8]);
    c.set('d', 'D', 11); // larger than the bound: not kept
    expect(c.has('d')).toBe(false);
  });

  it('gives entries read since they were placed a second chance, oldest first', () => {
    const c = new ParseCache<string>(12);
    for (const k of ['a', 'b', 'c']) c.set(k, k.toUpperCase(), 4);
    c.get('b');
    c.get('a');
    c.set('d', 'D', 4); // a and b were read: c, the least recently used, goes
    expect(['a', 'b', 'c', 'd'].map((k) => c.has(k))).toEqual([true, true, false, true]);
    // Passed over, a and b moved to the young end unmarked, behind d: d is now the oldest and goes.
    c.set('e', 'E', 4);
    expect(['a', 'b', 'd', 'e'].map((k) => c.has(k))).toEqual([true, true, false, true]);
    c.set('f', 'F', 4); // then a, unread since it was moved
    expect(['a', 'b', 'e', 'f'].map((k) => c.has(k))).toEqual([false, true, true, true]);
    expect(c.bytes).toBe(12);
  });
});

describe('parseFile with a cache', () => {
  it('parses identical content once, and names the right file in diagnostics', () => {
    const cache = new ParseCache<CachedParse>();
    const text = 'a: 1\n---\nb: [\n';
    const first = parseFile({ path: 'x.yaml', text }, { cache });
    const second = parseFile({ path: 'y.yaml', text }, { cache });
    expect(cache.hits).toBe(1);
    expect(second.documents).toBe(first.documents);
    expect(first.diagnostics.map((d) => d.file)).toEqual(['x.yaml']);
    expect(second.diagnostics.map((d) => d.file)).toEqual(['y.yaml']);
    // Whether a path is JSON or a Helm template changes the reading: not the same entry.
    parseFile({ path: 'templates/x.yaml', text }, { cache });
    expect(cache.hits).toBe(1);
  });

  it('byFile: remembered by file object, not hashed, not cached by content', () => {
    const cache = new ParseCache<CachedParse>();
    configureParsing({ cache, byFile: true });
    const file = { path: 'x.yaml', text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n---\nkind: NetworkPolicy\nmetadata: {name: a}\n' };
    const first = parseFile(file);
    expect(parseFile(file)).toBe(first);
    expect(knownContentKey(file)).toBeUndefined();
    expect(cache.size).toBe(0);
    // Another object with the same text: parsed again, to the same documents.
    const again = parseFile({ ...file });
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    // Not sniffing is another reading.
    expect(parseFile(file, { sniff: false }).documents[0]!.sniffed).toBeUndefined();
    expect(parseFile(file).documents[0]!.sniffed).toBe(true);
  });

  it('clusters built from shared, deep-frozen documents are the same as without cache or sniffing', async () => {
    const tier = generateTier(TIERS.small!, 3);
    const { files: fixtures } = await readManifestFiles(['fixtures']);
    const sides: ManifestFile[][] = [
      [...tier.base, ...fixtures],
      [...tier.base.map((f) => tier.prs[0]!.find((p) => p.path === f.path) ?? f), ...fixtures],
    ];

    configureParsing({ cache: null, sniff: false });
    const plain = sides.map((s) => buildCluster(s));

    const cache = new ParseCache<CachedParse>();
    configureParsing({ cache, sniff: true });
    for (const s of sides) for (const f of s) for (const d of parseFile(f).documents) deepFreeze(d.value);
    const cached = sides.map((s) => buildCluster(s));
    expect(cache.hits).toBeGreaterThan(tier.base.length);

    for (const i of [0, 1]) {
      const a = view(plain[i]!);
      const b = view(cached[i]!);
      expect(b.workloads).toEqual(a.workloads);
      expect(b.policies).toEqual(a.policies);
      expect(b.namespaces).toEqual(a.namespaces);
      expect(b.diagnostics).toEqual(a.diagnostics);
      expect(b.skipped).toEqual(a.skipped);
      expect(b.documentCount).toEqual(a.documentCount);
    }
    // Everything downstream reads the frozen documents without writing to them.
    const [mb, mh] = cached.map((c) => computeMatrix(c));
    const d = diffMatrices(mb!, mh!);
    expect(d.opened.length + d.closed.length + d.lines.length, JSON.stringify(d.lines.slice(0, 3))).toBeGreaterThan(0);
    const w = cached[1]!.workloads;
    expect(() => explain(mh!, { from: w[0]!.id, to: w[1]!.id })).not.toThrow();
  });
});
