// Entry point of the GitHub App: `probot run ./lib/index.js` (npm start).
// The composition root: the domain functions are wired here and only here; the GitHub layer (src/github)
// receives them injected (see src/github/deps.ts for the contracts).
import { analyzePullRequest } from './analysis.js';
import { computeMatrix } from './engine/matrix.js';
import { explain as explainRequest } from './explain/explain.js';
import { createNetpolApp } from './github/app.js';
import type { ExplainFn, MatrixFn, RepoSnapshot } from './github/deps.js';
import { buildCluster } from './manifests/buildCluster.js';
import { renderExplainMarkdown } from './render/explainMarkdown.js';
import { codeSpan } from './render/escapeMarkdown.js';
import { matrixMarkdown } from './render/matrixMarkdown.js';

function matrixOf(side: RepoSnapshot, defaultNamespace: string) {
  return computeMatrix(buildCluster([...side.files], { defaultNamespace }));
}

/** `/netpol explain ...` and the check run's Explain button, from src/explain + src/render. */
export const explain: ExplainFn = ({ head, base, config, query }) => {
  const matrix = matrixOf(head, config.defaultNamespace);
  if (query.kind === 'connection') {
    const to = `${query.dst}${query.port !== undefined ? `:${query.port}` : ''}${query.protocol ? `/${query.protocol}` : ''}`;
    const result = explainRequest(matrix, { from: query.src, to });
    return { markdown: renderExplainMarkdown(result), ok: result.kind !== 'error' };
  }
  if (query.kind === 'policy') {
    const result = explainRequest(matrix, { policy: query.policy });
    return { markdown: renderExplainMarkdown(result), ok: result.kind !== 'error' };
  }
  // 'changes': every NetworkPolicy the pull request added, changed or removed, explained at its side.
  const baseMatrix = base ? matrixOf(base, config.defaultNamespace) : undefined;
  const before = new Map(baseMatrix?.cluster.policies.map((p) => [p.id, p.specKey]) ?? []);
  const after = new Map(matrix.cluster.policies.map((p) => [p.id, p.specKey]));
  const sections: string[] = [];
  for (const [id, spec] of [...after].sort(([a], [b]) => a.localeCompare(b))) {
    if (before.get(id) === spec) continue;
    const title = before.has(id) ? 'Changed' : 'Added';
    sections.push(`### ${title}: ${codeSpan(id)}\n\n${renderExplainMarkdown(explainRequest(matrix, { policy: id }))}`);
  }
  for (const id of [...before.keys()].filter((id) => !after.has(id)).sort()) {
    sections.push(`### Removed: ${codeSpan(id)}\n\nAt the merge base:\n\n${renderExplainMarkdown(explainRequest(baseMatrix!, { policy: id }))}`);
  }
  return sections.length ? sections.join('\n\n') : 'No NetworkPolicy was added, changed or removed.';
};

/** `/netpol matrix [namespace]`. */
export const matrix: MatrixFn = ({ head, config, namespace }) =>
  matrixMarkdown(matrixOf(head, config.defaultNamespace), namespace !== undefined ? { namespace } : {});

export default createNetpolApp({
  analyze: analyzePullRequest,
  explain,
  matrix,
  concurrency: Number(process.env.NETPOL_CONCURRENCY) || 4,
  cacheBytes: (Number(process.env.NETPOL_CACHE_MB) || 64) * 1024 * 1024,
});
