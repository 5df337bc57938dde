// The explain feature: pure functions of the reachability matrix, shared by the CLI and the GitHub App.
export { explain, type ExplainRequest } from './explain.js';
export { explainConnection, type ConnectionParams } from './explainConnection.js';
export { describePolicy } from './describePolicy.js';
export { policyWarnings } from './policyWarnings.js';
export { resolveEndpoint, type ResolvedEndpoint } from './resolveEndpoint.js';
export { parseTarget, type ParsedTarget, type Target } from './parseTarget.js';
export type * from './types.js';
