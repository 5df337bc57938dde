// A local HTTP server that plays GitHub's REST API (as GHES: /api/v3) for the end-to-end test: app
// authentication (installation access tokens), and the endpoints one pull-request analysis uses.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeRepo } from './fakeRepo.js';

export interface Recorded {
  method: string;
  path: string;
  body?: any;
  authorization?: string;
}

export interface FakeGitHubOptions {
  repo: FakeRepo;
  pr: { number: number; head: string; baseTip: string; mergeBase: string; changedFiles: string[] };
  app: { id: number; slug: string };
  installationId: number;
}

export class FakeGitHub {
  readonly requests: Recorded[] = [];
  readonly #server: Server;
  #waiters: { pred: (r: Recorded) => boolean; resolve: (r: Recorded) => void }[] = [];
  port = 0;

  constructor(readonly options: FakeGitHubOptions) {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Resolves with the first request (past or future) that matches. */
  waitFor(pred: (r: Recorded) => boolean, timeoutMs = 15_000): Promise<Recorded> {
    const seen = this.requests.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; requests so far:\n${this.requests.map((r) => `${r.method} ${r.path}`).join('\n')}`)), timeoutMs);
      this.#waiters.push({
        pred,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const rec: Recorded = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname) + url.search,
      ...(raw ? { body: JSON.parse(raw) } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    this.requests.push(rec);
    const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      const data = body === undefined ? '' : Buffer.isBuffer(body) ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? 'application/x-gzip' : 'application/json; charset=utf-8', ...headers });
      res.end(data);
    };
    try {
      await this.#route(rec, url, reply);
    } catch (error) {
      reply(500, { message: String(error) });
    }
    for (const w of [...this.#waiters]) {
      if (w.pred(rec)) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve(rec);
      }
    }
  }

  async #route(rec: Recorded, url: URL, reply: (s: number, b?: unknown, h?: Record<string, string>) => void): Promise<void> {
    const { repo, pr, app, installationId } = this.options;
    const R = `/api/v3/repos/${repo.owner}/${repo.repo}`;
    const p = decodeURIComponent(url.pathname);
    const m = rec.method;
    if (m === 'POST' && p === `/api/v3/app/installations/${installationId}/access_tokens`) {
      if (!rec.authorization?.startsWith('bearer ') && !rec.authorization?.startsWith('Bearer ')) return reply(401, { message: 'JWT expected' });
      return reply(201, { token: 'ghs_e2e', expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: 'all' });
    }
    if (rec.authorization !== 'token ghs_e2e' && !p.startsWith('/codeload/')) return reply(401, { message: 'Bad credentials' });
    if (m === 'GET' && p.endsWith('/contents/.github/netpol.yml')) return reply(404, { message: 'Not Found' });
    if (m === 'POST' && p === `${R}/check-runs`) return reply(201, { id: 1, head_sha: rec.body.head_sha, app: { ...app, name: app.slug } });
    if (m === 'PATCH' && p === `${R}/check-runs/1`) return reply(200, { id: 1 });
    if (m === 'GET' && p === `${R}/pulls/${pr.number}/files`) {
      return reply(200, pr.changedFiles.map((filename) => ({ filename, status: 'modified', sha: '0'.repeat(40) })));
    }
    if (m === 'GET' && p === `${R}/compare/${pr.baseTip}...${pr.head}`) return reply(200, { merge_base_commit: { sha: pr.mergeBase } });
    const tarball = new RegExp(`^${R}/tarball/([0-9a-f]{40})$`).exec(p);
    if (m === 'GET' && tarball) {
      return reply(302, undefined, { location: `http://127.0.0.1:${this.port}/codeload/${repo.owner}/${repo.repo}/legacy.tar.gz/${tarball[1]}` });
    }
    const codeload = /^\/codeload\/[^/]+\/[^/]+\/legacy\.tar\.gz\/([0-9a-f]{40})$/.exec(p);
    if (m === 'GET' && codeload) return reply(200, await repo.tarball(codeload[1]!));
    if (m === 'GET' && p === `${R}/pulls/${pr.number}`) {
      return reply(200, { number: pr.number, state: 'open', head: { sha: pr.head }, base: { sha: pr.baseTip, ref: 'master' } });
    }
    if (m === 'GET' && p === `${R}/issues/${pr.number}/comments`) return reply(200, []);
    if (m === 'POST' && p === `${R}/issues/${pr.number}/comments`) return reply(201, { id: 10, body: rec.body.body });
    return reply(404, { message: `fake GitHub: no route for ${m} ${p}` });
  }
}
