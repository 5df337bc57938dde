// The app exactly as src/index.ts wires it (real analysis, explain, matrix), loaded into a Probot with
// retries and throttling off, and the recorded webhook payloads it is driven with.
import { readFileSync } from 'node:fs';
import { Probot, ProbotOctokit } from 'probot';
import type { NetpolApp } from '../../../src/github/app.js';
import netpolApp from '../../../src/index.js';

export function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/github/${name}.json`, import.meta.url), 'utf8'));
}

export async function realApp(): Promise<{ probot: Probot; app: NetpolApp }> {
  const probot = new Probot({
    githubToken: 'test',
    logLevel: 'fatal',
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  // each load creates a fresh runtime (cache, queue); whenIdle() follows the latest one
  await probot.load(netpolApp, { cwd: process.cwd(), addHandler: () => undefined });
  return { probot, app: netpolApp };
}
