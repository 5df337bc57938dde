// The `netpol` bin (package.json "bin") is the CLI bundled by scripts/bundle-cli.mjs into lib/bin/; `npm ci`
// builds it (prepare). It must answer exactly as the CLI run in process from the sources.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/runCli.js';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { netpol: string }; version: string };
const bin = join(root, pkg.bin.netpol);
const run = (args: string[]) => promisify(execFile)(process.execPath, [bin, ...args], { cwd: root });

describe('the bundled netpol bin', () => {
  it('is built by npm ci (prepare) at the path package.json names', () => {
    expect(pkg.bin.netpol).toBe('lib/bin/netpol.js');
    expect(existsSync(bin)).toBe(true);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('prints the version from package.json (its chunks sit two levels below the package root)', async () => {
    expect((await run(['--version'])).stdout).toBe(`netpol ${pkg.version}\n`);
  });

  it('diff, matrix and explain give the same output as the CLI run from the sources', async () => {
    const cases = [
      ['diff', '--base', 'examples/shop/base', '--head', 'examples/shop/head', '--format', 'json'],
      ['matrix', 'examples/shop/base', '--format', 'json'],
      ['explain', 'examples/shop/head', '--from', 'marketing/campaigns', '--to', 'shop/backend:3000'],
    ];
    for (const args of cases) {
      const bundled = await run(args);
      const inProcess = await runCli(args);
      expect(bundled.stdout, args.join(' ')).toBe(inProcess.stdout);
      expect(bundled.stdout.length).toBeGreaterThan(100);
    }
  });
});
