// End to end: the real `probot run` server process (no build needed: TypeScript is loaded through
// scripts/register-ts.mjs), pointed with GHE_HOST/GHE_PROTOCOL at a local fake GitHub, receives a signed
// webhook and must post the comment and complete the check run.
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/github/comments.js';
import { fakeSha, FakeRepo } from './helpers/fakeRepo.js';
import { FakeGitHub } from './helpers/fakeGitHubServer.js';
import { freePort } from '../helpers/freePort.js';
import { deliverSignedWebhook } from '../helpers/signedWebhook.js';
import { root, startProbotTs, type Started } from '../ops/spawnProbot.js';

const SECRET = 'e2e-webhook-secret';
const APP = { id: 31337, slug: 'netpol-bot-e2e' };

describe('end to end: probot run + fake GitHub (GHE_HOST, http)', () => {
  const repo = new FakeRepo('Codertocat', 'Hello-World');
  const mergeBase = fakeSha('e2e-mb');
  const head = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
  const baseTip = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
  repo.commit(mergeBase, { 'k8s/web.yaml': 'kind: NetworkPolicy\n', 'README.md': 'x\n' });
  repo.commit(head, { 'k8s/web.yaml': 'kind: NetworkPolicy\nspec: {}\n', 'README.md': 'y\n' });
  const github = new FakeGitHub({
    repo,
    pr: { number: 2, head, baseTip, mergeBase, changedFiles: ['k8s/web.yaml', 'README.md'] },
    app: APP,
    installationId: 1,
  });
  let probot: Started | undefined;
  let cwd = '';

  beforeAll(async () => {
    await github.start();
    cwd = mkdtempSync(join(tmpdir(), 'netpol-e2e-'));
    // no .env here (it would override the environment), and a package.json for Probot's default page
    writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'netpol-bot-e2e', version: '0.0.0' }));
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    probot = await startProbotTs(join(root, 'test/fixtures/github/e2e-app.ts'), {
      APP_ID: String(APP.id),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      GHE_HOST: `127.0.0.1:${github.port}`,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
    }, cwd);
  }, 40_000);

  afterAll(async () => {
    if (probot?.child.exitCode === null) {
      probot.child.kill('SIGTERM');
      await new Promise((r) => probot!.child.once('exit', r));
    }
    await github.stop();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  it('answers /healthz, /readyz and /ping', async () => {
    const base = `http://127.0.0.1:${probot!.port}`;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/ping`)).status).toBe(200);
  });

  it('rejects an unsigned webhook', async () => {
    const res = await fetch(`http://127.0.0.1:${probot!.port}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': 'x', 'x-hub-signature-256': 'sha256=00' },
      body: '{}',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('rejects a delivery without a signature, or signed with another secret, and runs nothing', async () => {
    const body = JSON.stringify(JSON.parse(readFileSync(join(root, 'test/fixtures/github/pull_request.opened.json'), 'utf8')));
    const before = github.requests.length;
    const post = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${probot!.port}/api/github/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'forged', ...headers },
        body,
      });
    expect((await post({})).status).toBeGreaterThanOrEqual(400);
    const wrong = `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`;
    expect((await post({ 'x-hub-signature-256': wrong })).status).toBeGreaterThanOrEqual(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(github.requests.length).toBe(before); // no check run, no API call at all
  });

  it('a signed pull_request.opened webhook: comment posted, check run completed', async () => {
    const payload = readFileSync(join(root, 'test/fixtures/github/pull_request.opened.json'), 'utf8');
    const started = Date.now();
    const res = await deliverSignedWebhook({ server: `http://127.0.0.1:${probot!.port}`, secret: SECRET, id: 'e2e-delivery-1', payload });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000); // acknowledged before the analysis ran

    const completed = await github.waitFor((r) => r.method === 'PATCH' && r.path.endsWith('/check-runs/1'));
    const R = '/api/v3/repos/Codertocat/Hello-World';
    const comment = github.requests.find((r) => r.method === 'POST' && r.path === `${R}/issues/2/comments`);
    expect(comment?.body.body).toBe(
      [
        COMMENT_MARKER,
        `<!-- netpol-bot:commits ${mergeBase}..${head} -->`,
        '### e2e: 1 file(s) change reachability\n\n- `k8s/web.yaml`',
        '',
        `<sub>netpol-bot compared ${mergeBase} (merge base) with ${head} (head).</sub>`,
      ].join('\n'),
    );
    expect(completed.body).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: {
        title: '1 opened',
        summary: `Analysed 1 files at ${head}.`,
        annotations: [{ path: 'k8s/web.yaml', start_line: 1, end_line: 1, annotation_level: 'warning', message: 'opened' }],
      },
    });
    // app authentication happened: a JWT-authenticated installation token request, then the token was used
    expect(github.requests[0]!.path).toBe('/api/v3/app/installations/1/access_tokens');
    expect(github.requests.map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`)).toEqual([
      'POST /api/v3/app/installations/1/access_tokens',
      `POST ${R}/check-runs`,
      `GET ${R}/contents/.github/netpol.yml`,
      'GET /api/v3/repos/Codertocat/.github/contents/.github/netpol.yml',
      `GET ${R}/pulls/2/files`,
      `GET ${R}/compare/${baseTip}...${head}`,
      `GET ${R}/tarball/${mergeBase}`,
      `GET /codeload/Codertocat/Hello-World/legacy.tar.gz/${mergeBase}`,
      `GET ${R}/tarball/${head}`,
      `GET /codeload/Codertocat/Hello-World/legacy.tar.gz/${head}`,
      `GET ${R}/pulls/2`,
      `GET ${R}/issues/2/comments`,
      `POST ${R}/issues/2/comments`,
      `PATCH ${R}/check-runs/1`,
    ]);
  }, 30_000);
});
