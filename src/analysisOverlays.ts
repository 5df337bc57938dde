// `kustomize.mode: per-overlay`: each overlay is its own cluster (prod and staging are different clusters,
// often with the same object names), so the pull request is analysed once per overlay and the results are
// put together here: one comment with a section per overlay, one check run whose conclusion is the worst.
import type { AnalysisResult, CheckAnnotation } from './analysis.js';
import { codeSpan } from './render/escapeMarkdown.js';
import { truncateText } from './render/truncateText.js';

export interface OverlayResult {
  /** The overlay directory, or undefined for what is analysed outside any overlay. */
  readonly overlay: string | undefined;
  readonly result: AnalysisResult;
}

const RANK = { failure: 2, neutral: 1, success: 0 } as const;
const MAX_OUTPUT_CHARS = 65_535;

/** Keys of per-overlay file sets on both sides: every overlay present at the merge base or at the head. */
export function overlayNames(base: readonly { overlay?: string }[], head: readonly { overlay?: string }[]): (string | undefined)[] {
  return [...new Set([...base, ...head].map((s) => s.overlay))].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
}

export function mergeOverlayResults(results: readonly OverlayResult[]): AnalysisResult {
  if (results.length === 1) return results[0]!.result;
  const title = (r: OverlayResult) => r.overlay ?? 'outside overlays';
  const sections = results.map((r) => `### Overlay ${codeSpan(title(r))}\n\n${r.result.comment}`);
  const worst = results.reduce((w, r) => (RANK[r.result.check.conclusion] > RANK[w] ? r.result.check.conclusion : w), 'success' as AnalysisResult['check']['conclusion']);
  const changed = results.filter((r) => r.result.hasChanges);
  const annotations: CheckAnnotation[] = results.flatMap((r) =>
    r.result.check.annotations.map((a) => ({ ...a, message: `[${title(r)}] ${a.message}` })),
  );
  const texts = results.flatMap((r) => (r.result.check.text ? [`### Overlay ${codeSpan(title(r))}\n\n${r.result.check.text}`] : []));
  return {
    hasChanges: changed.length > 0,
    comment: `**${results.length} overlays analysed, each as its own cluster** (kustomize.mode: per-overlay)\n\n${sections.join('\n\n')}`,
    check: {
      conclusion: worst,
      title: truncateText(
        changed.length === 0 ? 'No reachability changes' : changed.map((r) => `${title(r)}: ${r.result.check.title}`).join('; '),
        255,
      ),
      summary: truncateText(results.map((r) => `### Overlay ${codeSpan(title(r))}\n\n${r.result.check.summary}`).join('\n\n'), MAX_OUTPUT_CHARS),
      ...(texts.length > 0 ? { text: truncateText(texts.join('\n\n'), MAX_OUTPUT_CHARS) } : {}),
      annotations,
    },
    json: { overlays: results.map((r) => ({ overlay: r.overlay ?? null, diff: r.result.json })) },
  };
}
