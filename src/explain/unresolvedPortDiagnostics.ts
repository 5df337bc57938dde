import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { Diagnostic } from '../manifests/model.js';
import { policyWarnings } from './policyWarnings.js';

/**
 * A named port that resolves on no destination matches nothing; the API accepts it, so only the analysis
 * can say so. As warning diagnostics with the rule's file and line, for every output that lists diagnostics.
 */
export function unresolvedPortDiagnostics(matrix: ReachabilityMatrix): Diagnostic[] {
  return policyWarnings(matrix)
    .filter((w) => w.code === 'named-port-unresolved')
    .map((w) => ({ file: w.file, line: w.line, severity: 'warning' as const, message: w.message }));
}
