// The Dockerfile cannot be built here (no registry for base images), so this runs what the image would run:
// lib/ compiled as the build stage does (tsc -p tsconfig.build.json, into a temporary folder), then the
// runtime stage's CMD with its ENV and generated credentials on a free port, and its HEALTHCHECK command,
// which must exit 0 while the server runs and non-zero when nothing listens.
import { execFile, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, root, startServer, type Started } from './spawnProbot.js';

interface Stage {
  from: string;
  name?: string;
  lines: string[];
}

/** Instructions with `\` continuations joined, comments dropped, split into stages. */
function parseDockerfile(text: string): Stage[] {
  const joined = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of joined) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1]!, ...(from[2] ? { name: from[2] } : {}), lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfile);
const runtime = stages.at(-1)!;
const instr = (stage: Stage, name: string) => stage.lines.filter((l) => l.toUpperCase().startsWith(`${name} `)).map((l) => l.slice(name.length).trim());
const execForm = (s: string) => JSON.parse(s.replace(/^.*?CMD\s+/, '')) as string[];

describe('Dockerfile', () => {
  it('builds in one stage, runs production dependencies only as a non-root user in the other', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'renderers', 'runtime']);
    const build = stages[0]!;
    expect(instr(build, 'RUN')).toEqual(['npm ci --ignore-scripts --no-audit --no-fund', 'npx tsc -p tsconfig.build.json', 'node scripts/bundle-cli.mjs']);
    expect(instr(runtime, 'RUN')[0]).toMatch(/^npm ci --omit=dev --ignore-scripts\b/);
    expect(instr(runtime, 'COPY')).toContain('--from=build /app/lib ./lib');
    expect(instr(runtime, 'USER')).toEqual(['node']);
    expect(instr(runtime, 'EXPOSE')).toEqual(['3000']);
    expect(instr(runtime, 'ENV')).toEqual(expect.arrayContaining(['HOST=0.0.0.0', 'PORT=3000']));
    // the marked place for the kustomize/helm binaries, before USER (installing needs root)
    const marker = dockerfile.indexOf('# ==== kustomize / helm');
    expect(marker).toBeGreaterThan(dockerfile.indexOf('AS runtime'));
    expect(marker).toBeLessThan(dockerfile.indexOf('USER node'));
    expect(instr(runtime, 'COPY')).toContain('--from=renderers /usr/local/bin/kustomize /usr/local/bin/helm /usr/local/bin/');
    // kustomize and helm are pinned and every download is checked against a sha256
    const renderers = stages[1]!;
    const install = instr(renderers, 'RUN').join('\n');
    expect(install.match(/sha256sum -c -/g)).toHaveLength(2);
    expect(instr(renderers, 'ARG')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^KUSTOMIZE_SHA256_amd64=[0-9a-f]{64}$/), expect.stringMatching(/^HELM_SHA256_amd64=[0-9a-f]{64}$/)]),
    );
    // CMD is what `npm start` runs
    const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start as string;
    expect(execForm(instr(runtime, 'CMD')[0]!).slice(2).join(' ')).toBe(start.replace(/^probot /, ''));
    // every COPY source of the build context exists and is not excluded by .dockerignore
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    for (const copy of [...instr(stages[0]!, 'COPY'), ...instr(runtime, 'COPY')].filter((c) => !c.startsWith('--from'))) {
      for (const src of copy.split(/\s+/).slice(0, -1)) {
        expect(existsSync(join(root, src)), src).toBe(true);
        expect(ignored, src).not.toContain(src);
      }
    }
  });

  describe('CMD and HEALTHCHECK, run locally after a build of lib/', () => {
    let dir = '';
    let server: Started | undefined;
    let port = 0;
    const env: Record<string, string> = {};

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'netpol-docker-'));
      // The build stage: tsc -p tsconfig.build.json (into the temporary image root, not the shared lib/).
      await promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(dir, 'lib')]).catch(
        () => undefined, // type errors elsewhere in a shared checkout do not stop emitting; lib/index.js is checked below
      );
      expect(existsSync(join(dir, 'lib/index.js'))).toBe(true);
      for (const f of ['package.json', 'app.yml']) copyFileSync(join(root, f), join(dir, f));
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
      for (const e of instr(runtime, 'ENV')) {
        const [k, ...v] = e.split('=');
        env[k!] = v.join('=');
      }
      port = await freePort();
      const { privateKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      Object.assign(env, { PORT: String(port), APP_ID: '12345', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: 'docker-test-secret', LOG_LEVEL: 'info' });
    }, 120_000);

    afterAll(async () => {
      await server?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const healthcheck = () => {
      const [cmd, ...args] = execForm(instr(runtime, 'HEALTHCHECK')[0]!);
      expect(cmd).toBe('node');
      return spawnSync(process.execPath, args, { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 });
    };

    it('the health check fails while nothing listens', () => {
      expect(healthcheck().status).not.toBe(0);
    });

    it('CMD starts the app on PORT with HOST=0.0.0.0; the health check then exits 0', async () => {
      const [cmd, ...args] = execForm(instr(runtime, 'CMD')[0]!);
      expect(cmd).toBe('node');
      server = await startServer(process.execPath, args, env, dir);
      expect(server.port).toBe(port);
      expect(server.output()).toMatch(/Listening on http:\/\/0\.0\.0\.0:\d+/);
      const result = healthcheck();
      expect(result.status, String(result.stderr)).toBe(0);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('netpol_analyses_total');
    });
  });
});
