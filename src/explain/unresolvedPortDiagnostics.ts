import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { Diagnostic } from '../manifests/model.js';
import { namedPortWarnings } from './namedPortWarnings.js';

/**
 * A named port that resolves on no destination matches nothing; the API accepts it, so only the analysis
 * can say so. As warning diagnostics with the rule's file and line, for every output that lists diagnostics.
 * Only rules with named ports are looked at, so this stays cheap on large repositories.
 */
export function unresolvedPortDiagnostics(matrix: ReachabilityMatrix): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const cp of matrix.compiled.policies) {
    for (const rule of [...cp.ingress, ...cp.egress]) {
      for (const w of namedPortWarnings(matrix, cp, rule)) out.push({ file: w.file, line: w.line, severity: 'warning', message: w.message });
    }
  }
  return out;
}
