// The app exactly as src/index.ts wires it (real analysis, explain, matrix), loaded into a Probot with
// retries and throttling off.
import type { Probot } from 'probot';
import type { NetpolApp } from '../../../src/github/app.js';
import netpolApp from '../../../src/index.js';
import { testProbot } from './githubMock.js';

export async function realApp(): Promise<{ probot: Probot; app: NetpolApp }> {
  const probot = testProbot();
  // each load creates a fresh runtime (cache, queue); whenIdle() follows the latest one
  await probot.load(netpolApp, { cwd: process.cwd(), addHandler: () => undefined });
  return { probot, app: netpolApp };
}
