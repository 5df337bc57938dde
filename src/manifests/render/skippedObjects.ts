// Render skips as the model's SkippedObject, so every summary of skipped objects (CLI, check run) lists them.
import type { SkippedObject } from '../model.js';
import type { RenderSkip } from './types.js';

export function skippedObjects(skips: readonly RenderSkip[]): SkippedObject[] {
  return skips.map((s) => ({
    kind: s.kind === 'kustomization' ? 'Kustomization' : 'HelmChart',
    name: s.path,
    reason: `not rendered: ${s.reason}`,
    source: { file: s.file, line: 1, doc: 0, path: [] },
  }));
}
