// Structured logs (LOG_FORMAT=json) of the real server process with the real analysis (src/index.ts), and
// proof that no credential leaks: with a known PRIVATE_KEY, WEBHOOK_SECRET and installation token, neither
// the captured stdout/stderr nor any body posted to GitHub (comments, check runs) contains any of them, the
// app's JWT, or "BEGIN RSA" -- on success and on a failed analysis (whose error is logged and shown).
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../github/helpers/fakeGitHubServer.js';
import { fakeSha, FakeRepo } from '../github/helpers/fakeRepo.js';
import { root, startProbotTs, type Started } from './spawnProbot.js';
import { freePort } from '../helpers/freePort.js';
import { DENY, NS, OPEN, WEB } from '../helpers/shopManifests.js';
import { deliverSignedWebhook } from '../helpers/signedWebhook.js';

const SECRET = 'whsec-known-Q7v2-do-not-log';
const TOKEN = 'ghs_e2e'; // what the fake GitHub hands out as installation token
const APP = { id: 31337, slug: 'netpol-bot-logs' };
const { privateKey: PRIVATE_KEY } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});


const head = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const baseTip = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const mergeBase = fakeSha('logs-mb');
const repo = new FakeRepo('Codertocat', 'Hello-World');
repo.commit(mergeBase, { 'k8s/ns.yaml': NS, 'k8s/web.yaml': WEB, 'k8s/deny.yaml': DENY });
repo.commit(head, { 'k8s/ns.yaml': NS, 'k8s/web.yaml': WEB, 'k8s/deny.yaml': DENY, 'k8s/open.yaml': OPEN });
const github = new FakeGitHub({ repo, pr: { number: 2, head, baseTip, mergeBase, changedFiles: ['k8s/open.yaml'] }, app: APP, installationId: 1 });

let probot: Started | undefined;
let cwd = '';

async function deliver(payload: string, id: string): Promise<void> {
  const res = await deliverSignedWebhook({ server: `http://127.0.0.1:${probot!.port}`, secret: SECRET, id, payload });
  expect(res.status).toBe(200);
}

async function waitForLog(pred: (line: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = jsonLines().find(pred);
    if (found) return found;
    if (Date.now() > until) throw new Error(`no such log line in:\n${probot!.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function jsonLines(): Record<string, unknown>[] {
  return probot!
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  await github.start();
  cwd = mkdtempSync(join(tmpdir(), 'netpol-logs-'));
  writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'netpol-bot-logs', version: '0.0.0' }));
  probot = await startProbotTs(join(root, 'src/index.ts'), {
    APP_ID: String(APP.id),
    PRIVATE_KEY,
    WEBHOOK_SECRET: SECRET,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    GHE_HOST: `127.0.0.1:${github.port}`,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'trace', // the most verbose level: whatever Probot or the app can log is in the capture
    LOG_FORMAT: 'json',
    NODE_ENV: 'test',
  }, cwd);
}, 40_000);

afterAll(async () => {
  await probot?.stop();
  await github.stop();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

describe('structured logs and secrets', () => {
  it('one JSON line per analysis with repo, PR, head sha, duration and counts', async () => {
    await deliver(readFileSync(join(root, 'test/fixtures/github/pull_request.opened.json'), 'utf8'), 'logs-1');
    const line = await waitForLog((l) => l.event === 'analysis' && l.pr === 2);
    expect(line).toMatchObject({
      level: 30,
      event: 'analysis',
      repo: 'Codertocat/Hello-World',
      pr: 2,
      headSha: head,
      mergeBase,
      checkRunId: 1,
      outcome: 'failure', // the default failOn: a workload opened to the internet
      prFiles: 1,
      changedFiles: 1,
      baseFiles: 3,
      headFiles: 4,
      skippedFiles: 0,
      hasChanges: true,
      comment: 'created',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.msg).toBe(`analysed codertocat/hello-world#2 at ${head.slice(0, 7)}: failure`);
  });

  it('a failed analysis logs the error and fails the check, without credentials', async () => {
    const payload = JSON.parse(readFileSync(join(root, 'test/fixtures/github/pull_request.opened.json'), 'utf8'));
    payload.pull_request.number = 3; // the fake GitHub has no files for #3: 404 -> analysis failed
    payload.number = 3;
    await deliver(JSON.stringify(payload), 'logs-2');
    const line = await waitForLog((l) => l.event === 'analysis' && l.pr === 3);
    expect(line).toMatchObject({ outcome: 'error', title: 'Analysis failed', repo: 'Codertocat/Hello-World', headSha: head });
    await waitForLog((l) => l.msg === 'analysis failed');
    const failed = github.requests.filter((r) => r.method === 'PATCH').at(-1)!;
    expect(failed.body).toMatchObject({ conclusion: 'failure', output: { title: 'Analysis failed' } });
  });

  it('no credential in the logs nor in any body sent to GitHub', () => {
    const jwt = github.requests.find((r) => r.path.endsWith('/access_tokens'))!.authorization!.replace(/^bearer /i, '');
    expect(jwt.split('.')).toHaveLength(3); // the app did authenticate with a JWT signed by the key
    const keyBody = PRIVATE_KEY.split('\n').filter((l) => l && !l.startsWith('-----'));
    const forbidden = [SECRET, TOKEN, jwt, 'BEGIN RSA', 'PRIVATE KEY', ...keyBody];
    const logs = probot!.output();
    const sent = JSON.stringify(github.requests.map((r) => r.body ?? null));
    expect(sent).toContain('netpol-bot:comment'); // the bodies are there...
    expect(logs).toContain('"event":"analysis"');
    for (const secret of forbidden) {
      expect(logs.includes(secret), `logs contain ${secret.slice(0, 12)}…`).toBe(false); // ...the secrets are not
      expect(sent.includes(secret), `a posted body contains ${secret.slice(0, 12)}…`).toBe(false);
    }
  });
});
