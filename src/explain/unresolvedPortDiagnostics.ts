import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { Diagnostic } from '../manifests/model.js';
import { namedPortWarnings } from './namedPortWarnings.js';
import type { Warning } from './types.js';

/**
 * A named port that resolves on no destination matches nothing; the API accepts it, so only the analysis
 * can say so. As warning diagnostics with the rule's file and line, for every output that lists diagnostics.
 * Only rules with named ports are looked at, so this stays cheap on large repositories.
 */
export function unresolvedPortDiagnostics(matrix: ReachabilityMatrix): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const cp of matrix.compiled.policies) {
    // Most rules name no port: skip them before any call (tens of thousands of policies on large repositories).
    for (const rule of cp.ingress) if (rule.namedPorts.length > 0) add(out, namedPortWarnings(matrix, cp, rule));
    for (const rule of cp.egress) if (rule.namedPorts.length > 0) add(out, namedPortWarnings(matrix, cp, rule));
  }
  return out;
}

function add(out: Diagnostic[], warnings: readonly Warning[]): void {
  for (const w of warnings) out.push({ file: w.file, line: w.line, severity: 'warning', message: w.message });
}
