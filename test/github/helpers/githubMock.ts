// nock-based GitHub double that records every call (method, path with query, JSON body) in order, so tests
// can assert the exact sequence of API calls and their bodies.
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { Probot, ProbotOctokit } from 'probot';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import type { AnalysisResult, AnalyzeParams, CheckAnnotation } from '../../../src/analysis.js';
import { createNetpolApp, type NetpolApp, type NetpolAppOptions } from '../../../src/github/app.js';
import type { AnalyzeFn, ExplainFn, ExplainParams, MatrixFn, MatrixParams } from '../../../src/github/deps.js';
import { FakeRepo, fakeSha } from './fakeRepo.js';

export const API = 'https://api.github.com';
export const CODELOAD = 'https://codeload.github.com';
export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const R = `/repos/${OWNER}/${REPO}`;
export const APP = { id: 424242, slug: 'netpol-bot' };
export const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
export const BASE_TIP = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
export const MERGE_BASE = fakeSha('merge-base');
export const CHECK_ID = 4001;

export interface Call {
  method: string;
  path: string;
  body?: unknown;
}

type Reply = [number, unknown?, Record<string, string>?];

export class GitHubMock {
  readonly calls: Call[] = [];
  readonly api = nock(API);
  readonly codeload = nock(CODELOAD);
  /** Requests no interceptor matched (they fail in the app; done() reports them). */
  readonly unmatched: string[] = [];
  readonly #onNoMatch = (req: { method?: string; path?: string; href?: string; url?: string }) => {
    this.unmatched.push(`${req.method ?? '?'} ${req.href ?? req.url ?? req.path ?? '?'}`);
  };

  static readonly #live = new Set<GitHubMock>();

  constructor() {
    nock.emitter.on('no match', this.#onNoMatch);
    GitHubMock.#live.add(this);
  }

  dispose(): void {
    nock.emitter.off('no match', this.#onNoMatch);
    GitHubMock.#live.delete(this);
  }

  /** Call in afterEach: detaches every mock and clears nock. */
  static disposeAll(): void {
    for (const m of GitHubMock.#live) m.dispose();
    nock.cleanAll();
  }

  #record(method: string, uri: string, body: unknown): void {
    let parsed = body;
    if (typeof body === 'string' && body !== '') {
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = body;
      }
    }
    this.calls.push({ method, path: decodeURIComponent(uri), ...(parsed !== '' && parsed !== undefined ? { body: parsed } : {}) });
  }

  /** Intercept one call. `reply` may be a value or a function of the parsed body. */
  on(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string | RegExp, reply: Reply | ((body: unknown) => Reply), times = 1): this {
    const record = (m: string, uri: string, body: unknown) => this.#record(m, uri, body);
    const interceptor = this.api.intercept(path, method);
    interceptor.times(times).reply(function (uri, body) {
      record(method, uri, body);
      const r = typeof reply === 'function' ? reply(typeof body === 'string' && body ? JSON.parse(body) : body) : reply;
      return r as [number, string];
    });
    return this;
  }

  /** Paths of the calls, e.g. `GET /repos/o/r/pulls/2`. */
  get trace(): string[] {
    return this.calls.map((c) => `${c.method} ${c.path}`);
  }

  body(method: string, pathPart: string | RegExp, nth = 0): any {
    const matches = this.calls.filter(
      (c) => c.method === method && (typeof pathPart === 'string' ? c.path.includes(pathPart) : pathPart.test(c.path)),
    );
    return matches[nth]?.body;
  }

  done(): void {
    if (this.unmatched.length > 0) throw new Error(`unexpected requests:\n${this.unmatched.join('\n')}\ncalls:\n${this.trace.join('\n')}`);
    if (!this.api.isDone() || !this.codeload.isDone()) {
      throw new Error(`pending mocks: ${[...this.api.pendingMocks(), ...this.codeload.pendingMocks()].join(', ')}\ncalls:\n${this.trace.join('\n')}`);
    }
  }

  // ---- common GitHub endpoints ------------------------------------------------------------------------

  createCheck(id = CHECK_ID): this {
    return this.on('POST', `${R}/check-runs`, (body) => [201, { id, head_sha: (body as { head_sha: string }).head_sha, app: { ...APP, name: 'netpol-bot' } }]);
  }

  /** No .github/netpol.yml in the repository nor in the owner's `.github` repository. */
  noConfig(): this {
    this.on('GET', `${R}/contents/.github%2Fnetpol.yml`, [404, { message: 'Not Found' }]);
    return this.on('GET', `/repos/${OWNER}/.github/contents/.github%2Fnetpol.yml`, [404, { message: 'Not Found' }]);
  }

  config(yamlText: string): this {
    return this.on('GET', `${R}/contents/.github%2Fnetpol.yml`, [200, yamlText, { 'content-type': 'application/vnd.github.raw+json; charset=utf-8' }]);
  }

  prFiles(files: string[], number = 2): this {
    return this.on('GET', `${R}/pulls/${number}/files?per_page=100`, [
      200,
      files.map((filename, i) => ({ filename, status: 'modified', sha: fakeSha(`f${i}`), additions: 1, deletions: 1, changes: 2 })),
    ]);
  }

  compare(base = BASE_TIP, head = HEAD, mergeBase = MERGE_BASE): this {
    return this.on('GET', `${R}/compare/${base}...${head}?per_page=1`, [200, { merge_base_commit: { sha: mergeBase }, status: 'ahead' }]);
  }

  tarball(repo: FakeRepo, sha: string): this {
    this.on('GET', `/repos/${repo.owner}/${repo.repo}/tarball/${sha}`, [
      302,
      '',
      { location: `${CODELOAD}/${repo.owner}/${repo.repo}/legacy.tar.gz/${sha}` },
    ]);
    const record = (uri: string) => this.calls.push({ method: 'GET', path: `codeload:${uri}` });
    this.codeload.get(`/${repo.owner}/${repo.repo}/legacy.tar.gz/${sha}`).reply(async function (uri) {
      record(uri);
      return [200, await repo.tarball(sha), { 'content-type': 'application/x-gzip' }];
    });
    return this;
  }

  tree(repo: FakeRepo, sha: string): this {
    return this.on('GET', `/repos/${repo.owner}/${repo.repo}/git/trees/${sha}?recursive=1`, [200, repo.tree(sha)]);
  }

  blob(repo: FakeRepo, blobSha: string): this {
    return this.on('GET', `/repos/${repo.owner}/${repo.repo}/git/blobs/${blobSha}`, [200, repo.blob(blobSha)]);
  }

  pull(head = HEAD, number = 2, base = BASE_TIP, state = 'open'): this {
    return this.on('GET', `${R}/pulls/${number}`, [200, { number, state, head: { sha: head }, base: { sha: base, ref: 'master' } }]);
  }

  comments(list: unknown[], number = 2): this {
    return this.on('GET', `${R}/issues/${number}/comments?per_page=100`, [200, list]);
  }

  createComment(number = 2, id = 9001): this {
    return this.on('POST', `${R}/issues/${number}/comments`, (body) => [201, { id, body: (body as { body: string }).body }]);
  }

  updateComment(id: number): this {
    return this.on('PATCH', `${R}/issues/comments/${id}`, (body) => [200, { id, body: (body as { body: string }).body }]);
  }

  updateCheck(id = CHECK_ID, times = 1): this {
    return this.on('PATCH', `${R}/check-runs/${id}`, [200, { id }], times);
  }

  reaction(commentId: number, times = 1): this {
    return this.on('POST', `${R}/issues/comments/${commentId}/reactions`, (body) => [201, { id: 1, content: (body as { content: string }).content }], times);
  }

  permission(user: string, permission: string, role = permission): this {
    return this.on('GET', `${R}/collaborators/${user}/permission`, [200, { permission, role_name: role, user: { login: user } }]);
  }

  // ---- the steps of a run ----------------------------------------------------------------------------------

  /**
   * What one analysis of the pull request reads once its check run exists: the config (`null`: there is none),
   * the changed files, the compare, both sides as tarballs (merge base and head), and the pull request again.
   */
  analysisReads(repo: FakeRepo, files: string[], config: string | null = null): this {
    return (config === null ? this.noConfig() : this.config(config)).prFiles(files).compare().tarball(repo, MERGE_BASE).tarball(repo, HEAD).pull();
  }

  /** The end of a run that posts the app's first comment: none of its comments listed, one created, the check completed. */
  firstComment(checkId = CHECK_ID): this {
    return this.comments([]).createComment().updateCheck(checkId);
  }
}

/**
 * Registers the hooks of a test file that drives the app against a mocked GitHub: no real network, a fresh
 * mock handed to `use` before each test, and every mock disposed after it.
 */
export function freshGitHubMockPerTest(use: (mock: GitHubMock) => void): void {
  beforeAll(() => nock.disableNetConnect());
  beforeEach(() => use(new GitHubMock()));
  afterEach(() => GitHubMock.disposeAll());
}

// ---- the fake domain ---------------------------------------------------------------------------------------

export interface FakeDomain {
  analyze: AnalyzeFn & { calls: AnalyzeParams[] };
  explain: ExplainFn & { calls: ExplainParams[] };
  matrix: MatrixFn & { calls: MatrixParams[] };
}

export interface FakeAnalysisOptions {
  conclusion?: AnalysisResult['check']['conclusion'];
  annotations?: CheckAnnotation[];
  comment?: (changed: string[]) => string;
  text?: string;
}

/** Deterministic stand-in for analyzePullRequest: "changes" are files whose text differs. */
export function fakeDomain(options: FakeAnalysisOptions = {}): FakeDomain {
  const analyzeCalls: AnalyzeParams[] = [];
  const analyze = Object.assign(
    (p: AnalyzeParams): AnalysisResult => {
      analyzeCalls.push(p);
      const base = new Map(p.base.files.map((f) => [f.path, f.text]));
      const head = new Map(p.head.files.map((f) => [f.path, f.text]));
      const changed = [...new Set([...base.keys(), ...head.keys()])].filter((k) => base.get(k) !== head.get(k)).sort();
      const hasChanges = changed.length > 0;
      const comment = options.comment
        ? options.comment(changed)
        : hasChanges
          ? `### netpol: reachability changes\n\n${changed.map((c) => `- opened by \`${c}\``).join('\n')}`
          : '### netpol: no reachability changes';
      return {
        hasChanges,
        comment,
        check: {
          conclusion: options.conclusion ?? (hasChanges ? 'failure' : 'success'),
          title: hasChanges ? `${changed.length} opened` : 'No changes',
          summary: `Analysed ${p.head.files.length} files.`,
          ...(options.text ? { text: options.text } : {}),
          annotations: options.annotations ?? [],
        },
        json: { changed },
      };
    },
    { calls: analyzeCalls },
  );
  const explainCalls: ExplainParams[] = [];
  const explain = Object.assign(
    (p: ExplainParams): string => {
      explainCalls.push(p);
      if (p.query.kind === 'connection' && p.query.src === 'missing/app') throw new Error('no workload `missing/app` @here');
      return `EXPLAIN ${JSON.stringify(p.query)} over ${p.head.files.length} files`;
    },
    { calls: explainCalls },
  );
  const matrixCalls: MatrixParams[] = [];
  const matrix = Object.assign(
    (p: MatrixParams): string => {
      matrixCalls.push(p);
      return `MATRIX ${p.namespace ?? '*'} over ${p.head.files.length} files`;
    },
    { calls: matrixCalls },
  );
  return { analyze, explain, matrix };
}

export interface TestApp {
  probot: Probot;
  app: NetpolApp;
  domain: FakeDomain;
  handlers: ((req: unknown, res: unknown) => unknown)[];
}

/** A recorded webhook payload from test/fixtures/github (e.g. `pull_request.opened`), parsed afresh for each call. */
export function webhookPayload(name: string): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/github/${name}.json`, import.meta.url), 'utf8'));
}

/** A Probot with a fixed token, quiet logs, and Octokit's retries and throttling off (nock answers at once). */
export function testProbot(options: { secret?: string } = {}): Probot {
  return new Probot({
    githubToken: 'test',
    logLevel: 'fatal',
    ...options,
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
  });
}

export async function startApp(domain = fakeDomain(), options: Partial<NetpolAppOptions> = {}): Promise<TestApp> {
  const probot = testProbot();
  const app = createNetpolApp({ ...domain, ...options });
  const handlers: TestApp['handlers'] = [];
  await probot.load(app, { cwd: process.cwd(), addHandler: (h) => void handlers.push(h as TestApp['handlers'][number]) });
  return { probot, app, domain, handlers };
}

/** A repository whose merge base and head differ in one manifest and one non-manifest file. */
export function helloWorld(headSha = HEAD): FakeRepo {
  const repo = new FakeRepo(OWNER, REPO);
  repo.commit(MERGE_BASE, {
    'README.md': 'hello\n',
    'k8s/web.yaml': 'kind: NetworkPolicy\nmetadata: { name: web }\n',
    'k8s/db.yaml': 'kind: NetworkPolicy\nmetadata: { name: db }\n',
  });
  repo.commit(headSha, {
    'README.md': 'hello world\n',
    'k8s/web.yaml': 'kind: NetworkPolicy\nmetadata: { name: web }\nspec: { ingress: [{}] }\n',
    'k8s/db.yaml': 'kind: NetworkPolicy\nmetadata: { name: db }\n',
  });
  return repo;
}
