// Rendering at the edge of the app: Kustomize overlays and Helm charts among the fetched files become plain
// manifests before the (pure) analysis runs. The tools run with remote resources and plugins refused, in a
// temporary directory, with a time bound; nothing from the pull request is executed by us.
import type { SideNotes } from '../analysis.js';
import type { NetpolConfig } from '../config/schema.js';
import type { ManifestFile } from '../manifests/model.js';
import { renderManifests } from '../manifests/render/renderManifests.js';
import { skippedObjects } from '../manifests/render/skippedObjects.js';

export interface RenderedSnapshot {
  readonly files: readonly ManifestFile[];
  readonly notes: SideNotes;
  /** `kustomize.mode: per-overlay`: the files of each overlay's cluster; one unnamed set when merged. */
  readonly sets: readonly { readonly overlay?: string; readonly files: readonly ManifestFile[] }[];
}

/** Repository paths are relative to the repository root; the renderer resolves them against this. */
const REPO_ROOT = '/repo';

export async function renderSnapshot(files: readonly ManifestFile[], config: NetpolConfig, timeoutMs: number): Promise<RenderedSnapshot> {
  const r = await renderManifests(files, {
    config: {
      ...(config.kustomize ? { kustomize: config.kustomize } : {}),
      ...(config.helm ? { helm: config.helm } : {}),
      defaultNamespace: config.defaultNamespace,
    },
    baseDir: REPO_ROOT,
    timeoutMs: Math.max(1000, timeoutMs),
    env: { PATH: process.env.PATH },
  });
  return { files: r.files, notes: { diagnostics: r.diagnostics, skipped: skippedObjects(r.skipped) }, sets: r.sets };
}
