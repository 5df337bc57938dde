// For the app's fetch filter: files that rendering needs besides the manifests `paths` selects.
import { posix } from 'node:path';

const NAMES = new Set(['Kustomization', 'kustomization.yaml', 'kustomization.yml', 'Chart.yaml', 'Chart.lock', 'requirements.yaml', '.helmignore']);

/**
 * true for paths rendering needs that a `**\/*.yaml` filter misses or that `ignore` may drop: kustomization
 * files, Chart.yaml, templates and helpers (`templates/**`, `*.tpl`), vendored `charts/*.tgz`. Generator
 * inputs (`.env`, `.properties`) cannot be told by name; commit them as .yaml or list them in `paths`.
 */
export function isRenderInput(path: string): boolean {
  const base = posix.basename(path);
  return NAMES.has(base) || base.endsWith('.tpl') || /(^|\/)templates\//.test(path) || /(^|\/)charts\/[^/]+\.tgz$/.test(path);
}
