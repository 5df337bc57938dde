// Public API of the manifests layer: files -> typed Cluster model.
export * from './model.js';
export { readManifestFiles, STDIN_PATH, type ReadOptions } from './readFiles.js';
export { splitDocuments, type DocumentText } from './splitDocuments.js';
export { parseFile, type ParsedFile, type RawDocument } from './parseFile.js';
export { lineOf } from './locate.js';
export { buildCluster } from './buildCluster.js';
export { summarizeSkipped, type SkippedSummary } from './summarize.js';
export { formatPath } from './problems.js';
