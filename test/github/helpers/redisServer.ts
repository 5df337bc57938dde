// A Redis for the tests of the scale-out mode:
// - REDIS_TEST_URL (set by .ci/run, which starts a redis-server) is used as is;
// - otherwise, when `redis-server` is on PATH, the tests start their own on a free port and stop it after;
// - otherwise the tests fail under CI=true (they must never pass silently there) and are skipped locally with
//   the reason in the test name.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../helpers/freePort.js';

export interface TestRedis {
  /** undefined when no Redis is available (then `reason` says why). */
  readonly url: string | undefined;
  readonly reason: string;
  stop(): Promise<void>;
}

function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

async function waitForPing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}:\n${output()}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${url}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function testRedis(): Promise<TestRedis> {
  const given = process.env.REDIS_TEST_URL;
  if (given) return { url: given, reason: `REDIS_TEST_URL=${given}`, stop: async () => undefined };
  if (onPath('redis-server')) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'netpol-redis-'));
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const url = `redis://127.0.0.1:${port}`;
    await waitForPing(url, child, () => out);
    return {
      url,
      reason: `own redis-server on port ${port}`,
      stop: async () => {
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const reason = 'needs Redis: set REDIS_TEST_URL or put redis-server on PATH (apt-get install redis-server)';
  if (process.env.CI === 'true') throw new Error(`CI=true but no Redis for the scale-out tests: ${reason}`);
  console.warn(`scale-out (REDIS_URL) tests skipped: ${reason}`);
  return { url: undefined, reason, stop: async () => undefined };
}

/** A key prefix of its own per test, so test files sharing one Redis never see each other's keys. */
export function testPrefix(): string {
  return `test:${randomUUID()}:`;
}
