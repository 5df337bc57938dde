// Entry point of the GitHub App: `probot run ./lib/index.js` (npm start).
// The domain functions are wired here and only here; the GitHub layer (src/github) receives them injected.
import { analyzePullRequest } from './analysis.js';
import { createNetpolApp } from './github/app.js';
import type { ExplainFn, MatrixFn } from './github/deps.js';

// TODO(wiring): replace with the real functions once src/explain and src/render export them
// (signatures: ExplainFn / MatrixFn in src/github/deps.ts).
const explain: ExplainFn = () => {
  throw new Error('`/netpol explain` is not available in this version yet');
};
const matrix: MatrixFn = () => {
  throw new Error('`/netpol matrix` is not available in this version yet');
};

export default createNetpolApp({
  analyze: analyzePullRequest,
  explain,
  matrix,
  concurrency: Number(process.env.NETPOL_CONCURRENCY) || 4,
  cacheBytes: (Number(process.env.NETPOL_CACHE_MB) || 64) * 1024 * 1024,
});
