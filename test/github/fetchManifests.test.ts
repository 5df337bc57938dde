import nock from 'nock';
import { ProbotOctokit } from 'probot';
import picomatch from 'picomatch';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BlobCache, gitBlobSha } from '../../src/github/blobCache.js';
import { ManifestFetcher, stripTopFolder } from '../../src/github/fetchManifests.js';
import type { Octokit } from '../../src/github/octokit.js';
import { FakeRepo, blobSha, fakeSha, manyManifests } from './helpers/fakeRepo.js';

const TestOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
  ...o,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

function octokit(): Octokit {
  return new TestOctokit({ auth: 'test' }) as unknown as Octokit;
}

const accept = picomatch(['**/*.yaml', '**/*.yml', '**/*.json'], { dot: true });
const API = 'https://api.github.com';
const CODELOAD = 'https://codeload.github.com';

function serveTarball(repo: FakeRepo, sha: string, counter: { rest: number; codeload: number }) {
  const tarball = repo.tarball(sha);
  nock(API)
    .get(`/repos/${repo.owner}/${repo.repo}/tarball/${sha}`)
    .reply(() => {
      counter.rest++;
      return [302, '', { location: `${CODELOAD}/${repo.owner}/${repo.repo}/legacy.tar.gz/${sha}?token=x` }];
    });
  nock(CODELOAD)
    .get(`/${repo.owner}/${repo.repo}/legacy.tar.gz/${sha}`)
    .query({ token: 'x' })
    .reply(async () => {
      counter.codeload++;
      return [200, await tarball, { 'content-type': 'application/x-gzip' }];
    });
}

function serveTree(repo: FakeRepo, sha: string, counter: { rest: number }, truncated = false) {
  nock(API)
    .get(`/repos/${repo.owner}/${repo.repo}/git/trees/${sha}`)
    .query({ recursive: '1' })
    .reply(() => {
      counter.rest++;
      return [200, repo.tree(sha, truncated)];
    });
}

function serveBlob(repo: FakeRepo, sha: string, counter: { rest: number }) {
  nock(API)
    .get(`/repos/${repo.owner}/${repo.repo}/git/blobs/${sha}`)
    .reply(() => {
      counter.rest++;
      return [200, repo.blob(sha)];
    });
}

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});

describe('gitBlobSha', () => {
  it('matches `git hash-object`', () => {
    // printf 'hello\n' | git hash-object --stdin
    expect(gitBlobSha(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(gitBlobSha(Buffer.alloc(0))).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });
});

describe('stripTopFolder', () => {
  it('drops `<owner>-<repo>-<sha7>/`', () => {
    expect(stripTopFolder('octo-repo-abc1234/k8s/a.yaml')).toBe('k8s/a.yaml');
    expect(stripTopFolder('octo-repo-abc1234/')).toBeUndefined();
    expect(stripTopFolder('pax_global_header')).toBeUndefined();
  });
});

describe('BlobCache', () => {
  it('evicts the least recently used entries beyond its byte bound', () => {
    const cache = new BlobCache(BlobCache.cost('x'.repeat(100)) * 2);
    cache.set('a', 'x'.repeat(100));
    cache.set('b', 'y'.repeat(100));
    expect(cache.get('a')).toBeDefined(); // a is now most recent
    cache.set('c', 'z'.repeat(100));
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('c')).toBe(true);
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
  });
  it('does not keep an entry larger than the whole bound', () => {
    const cache = new BlobCache(100);
    cache.set('big', 'x'.repeat(1000));
    expect(cache.size).toBe(0);
  });
});

describe('ManifestFetcher', () => {
  it('cold: a 2,000-file repository costs one tarball per commit (2 REST calls + 2 codeload downloads)', async () => {
    const repo = new FakeRepo('octo', 'big');
    const base = repo.commit(fakeSha('base'), manyManifests(2000));
    const headFiles = { ...repo.files(base) };
    for (let i = 0; i < 5; i++) headFiles[`k8s/app-${i}/deploy.yaml`] += `# change ${i}\n`;
    const head = repo.commit(fakeSha('head'), headFiles);
    const counter = { rest: 0, codeload: 0 };
    serveTarball(repo, base, counter);
    serveTarball(repo, head, counter);

    const fetcher = new ManifestFetcher();
    const [b, h] = await fetcher.fetch(octokit(), { owner: 'octo', repo: 'big', shas: [base, head], accept, maxFileBytes: 1 << 20 });
    expect(counter).toEqual({ rest: 2, codeload: 2 });
    expect(nock.isDone()).toBe(true);
    expect(b!.files).toHaveLength(2000);
    expect(h!.files).toHaveLength(2000);
    expect(b!.files.find((f) => f.path === 'README.md')).toBeUndefined();
    expect(h!.files.find((f) => f.path === 'k8s/app-3/deploy.yaml')!.text).toContain('# change 3');
    expect(fetcher.stats).toMatchObject({ tarballs: 2, trees: 0, blobs: 0 });
    // every manifest of both commits is cached by its blob sha
    expect(fetcher.cache.size).toBe(2005);

    // warm: the next push changes 5 more files: 2 trees + 5 blobs
    const nextFiles = { ...headFiles };
    for (let i = 10; i < 15; i++) nextFiles[`k8s/app-${i}/deploy.yaml`] += `# next ${i}\n`;
    const next = repo.commit(fakeSha('next'), nextFiles);
    const warm = { rest: 0 };
    serveTree(repo, base, warm);
    serveTree(repo, next, warm);
    for (let i = 10; i < 15; i++) serveBlob(repo, blobSha(nextFiles[`k8s/app-${i}/deploy.yaml`]!), warm);
    const [b2, n2] = await fetcher.fetch(octokit(), { owner: 'octo', repo: 'big', shas: [base, next], accept, maxFileBytes: 1 << 20 });
    expect(warm.rest).toBe(2 + 5);
    expect(nock.isDone()).toBe(true);
    expect(b2!.files).toEqual(b!.files);
    expect(n2!.files.find((f) => f.path === 'k8s/app-12/deploy.yaml')!.text).toContain('# next 12');
    expect(n2!.files).toHaveLength(2000);
  });

  it('warm: a truncated tree falls back to the tarball of that commit', async () => {
    const repo = new FakeRepo('octo', 'trunc');
    const base = repo.commit(fakeSha('t-base'), { 'a.yaml': 'a: 1\n' });
    const head = repo.commit(fakeSha('t-head'), { 'a.yaml': 'a: 2\n' });
    const fetcher = new ManifestFetcher();
    const c = { rest: 0, codeload: 0 };
    serveTarball(repo, base, c);
    await fetcher.fetch(octokit(), { owner: 'octo', repo: 'trunc', shas: [base], accept, maxFileBytes: 1000 });
    serveTree(repo, base, c);
    serveTree(repo, head, c, true);
    serveTarball(repo, head, c);
    const [b, h] = await fetcher.fetch(octokit(), { owner: 'octo', repo: 'trunc', shas: [base, head], accept, maxFileBytes: 1000 });
    expect(nock.isDone()).toBe(true);
    expect(b!.files).toEqual([{ path: 'a.yaml', text: 'a: 1\n' }]);
    expect(h!.files).toEqual([{ path: 'a.yaml', text: 'a: 2\n' }]);
    expect(c).toEqual({ rest: 1 + 2 + 1, codeload: 2 });
  });

  it('skips (and reports) files over maxFileBytes and non-UTF-8 files, ignores symlinks and unselected paths', async () => {
    const repo = new FakeRepo('octo', 'mixed');
    const sha = repo.commit(fakeSha('mixed'), {
      'ok.yaml': 'kind: Namespace\n',
      'big.yaml': `# ${'x'.repeat(200)}\n`,
      'notes.txt': 'hello',
      'bad.json': '\uFFFD',
    });
    const tarball = await repo.tarball(sha, { 'link.yaml': { type: 'symlink', linkname: 'ok.yaml' } });
    nock(API).get(`/repos/octo/mixed/tarball/${sha}`).reply(200, tarball, { 'content-type': 'application/x-gzip' });
    const fetcher = new ManifestFetcher();
    const [s] = await fetcher.fetch(octokit(), { owner: 'octo', repo: 'mixed', shas: [sha], accept, maxFileBytes: 100 });
    expect(s!.files.map((f) => f.path)).toEqual(['bad.json', 'ok.yaml']);
    expect(s!.skipped).toEqual([{ path: 'big.yaml', reason: 'larger than limits.maxFileBytes (203 > 100 bytes)' }]);
  });

  it('an API error rejects the fetch (and the repository stays cold)', async () => {
    nock(API).get(/\/repos\/octo\/err\/tarball\/.*/).reply(502, { message: 'Bad gateway' });
    const fetcher = new ManifestFetcher();
    await expect(
      fetcher.fetch(octokit(), { owner: 'octo', repo: 'err', shas: [fakeSha('e')], accept, maxFileBytes: 100 }),
    ).rejects.toThrow();
    expect(fetcher.isSeen({ owner: 'octo', repo: 'err' })).toBe(false);
  });
});
