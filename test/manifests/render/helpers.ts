import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifestFiles } from '../../../src/manifests/readFiles.js';
import { readRenderInputs } from '../../../src/manifests/render/index.js';
import type { BinaryFile } from '../../../src/manifests/render/index.js';
import type { ManifestFile } from '../../../src/manifests/model.js';

/** Whether `kubectl kustomize` works here; tests that need it are skipped (visibly) elsewhere. */
export const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['kustomize', '--help'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Reads paths as the CLI does: manifests, plus the other files rendering needs. */
export async function readAsCli(paths: string[]): Promise<{ files: ManifestFile[]; binaryFiles: BinaryFile[] }> {
  const read = await readManifestFiles(paths);
  const extra = await readRenderInputs(paths, read.files);
  return { files: [...read.files, ...extra.files], binaryFiles: extra.binaryFiles };
}

/** A directory with one executable shell script `name`, for an otherwise empty PATH. */
export function fakeTool(name: string, script: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-fake-'));
  const path = join(dir, name);
  // The tool's own PATH is set inside the script: the PATH it is found on holds nothing but itself.
  writeFileSync(path, `#!/bin/sh\nPATH=/usr/bin:/bin; export PATH\n${script}\n`);
  chmodSync(path, 0o755);
  return { dir, path };
}

export const emptyPathDir = (): string => mkdtempSync(join(tmpdir(), 'netpol-empty-path-'));
