// Entry point of the GitHub App: `probot run ./lib/index.js` (npm start).
// The composition root: the domain functions are wired here and only here; the GitHub layer (src/github)
// receives them injected (see src/github/deps.ts for the contracts).
import { analyzePullRequest } from './analysis.js';
import { loadOptionsOf } from './config/loadOptions.js';
import type { NetpolConfig } from './config/schema.js';
import { computeMatrix } from './engine/matrix.js';
import { explain as explainRequest } from './explain/explain.js';
import { explainChanges } from './explain/explainChanges.js';
import { createNetpolApp } from './github/app.js';
import type { ExplainFn, MatrixFn, RepoSnapshot } from './github/deps.js';
import { buildCluster } from './manifests/buildCluster.js';
import { renderExplainMarkdown } from './render/explainMarkdown.js';
import { escapeMarkdown } from './render/escapeMarkdown.js';
import { matrixMarkdown } from './render/matrixMarkdown.js';

/** The same load options as the pull-request analysis (default namespace, assumed world, ingress controller). */
function matrixOf(side: RepoSnapshot, config: NetpolConfig) {
  return computeMatrix(buildCluster([...side.files], loadOptionsOf(config)));
}

/** `/netpol explain ...` and the check run's Explain button, from src/explain + src/render. */
export const explain: ExplainFn = ({ head, base, config, query }) => {
  const matrix = matrixOf(head, config);
  if (query.kind === 'connection') {
    // Port and protocol go apart from the destination, so a bare IPv6 destination is not misread.
    const request = {
      from: query.src,
      to: query.dst,
      ...(query.port !== undefined ? { port: query.port } : {}),
      ...(query.protocol ? { protocol: query.protocol } : {}),
    };
    const result = explainRequest(matrix, request);
    const markdown = renderExplainMarkdown(result);
    // The chain at the merge base too when the verdict differs: what this pull request changed for it.
    const atBase = base && result.kind === 'connection' ? explainRequest(matrixOf(base, config), request) : undefined;
    if (result.kind === 'connection' && atBase?.kind === 'connection' && atBase.explanation.verdict !== result.explanation.verdict) {
      return {
        markdown: `**At the head commit:**\n\n${markdown}\n\n**At the merge base** (the verdict was different):\n\n${renderExplainMarkdown(atBase)}`,
        ok: true,
      };
    }
    return { markdown, ok: result.kind !== 'error' };
  }
  if (query.kind === 'policy') {
    const result = explainRequest(matrix, { policy: query.policy });
    return { markdown: renderExplainMarkdown(result), ok: result.kind !== 'error' };
  }
  // 'changes' (the Explain button): the riskiest changed connections, explained at head and at base.
  if (!base) return 'Nothing to compare: the merge base could not be read.';
  const changes = explainChanges(matrixOf(base, config), matrix);
  const sections = changes.map(
    (c) =>
      `### ${escapeMarkdown(c.line.text)}\n\n**Now:**\n\n${renderExplainMarkdown(c.head)}\n\n**Before (merge base):**\n\n${renderExplainMarkdown(c.base)}`,
  );
  return sections.length ? sections.join('\n\n') : 'No reachability changes to explain.';
};

/** `/netpol matrix [namespace]`. */
export const matrix: MatrixFn = ({ head, config, namespace }) =>
  matrixMarkdown(matrixOf(head, config), namespace !== undefined ? { namespace } : {});

export default createNetpolApp({
  analyze: analyzePullRequest,
  explain,
  matrix,
  concurrency: Number(process.env.NETPOL_CONCURRENCY) || 4,
  cacheBytes: (Number(process.env.NETPOL_CACHE_MB) || 64) * 1024 * 1024,
  // Several replicas: the queue, the file cache and acknowledgements in Redis (README, "Scale-out").
  ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
  ...(Number(process.env.NETPOL_CACHE_TTL_SECONDS) > 0 ? { cacheTtlSeconds: Number(process.env.NETPOL_CACHE_TTL_SECONDS) } : {}),
});
