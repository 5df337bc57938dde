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
  const policies = matrix.compiled.policies;
  // Index loops: this runs once per command over every rule, before the optimising compiler has caught up,
  // and for-of there allocates an iterator result per item.
  for (let i = 0; i < policies.length; i++) {
    const cp = policies[i]!;
    // Most rules name no port: skip them before any call (tens of thousands of policies on large repositories).
    for (let j = 0; j < cp.ingress.length; j++) if (cp.ingress[j]!.namedPorts.length > 0) add(out, namedPortWarnings(matrix, cp, cp.ingress[j]!));
    for (let j = 0; j < cp.egress.length; j++) if (cp.egress[j]!.namedPorts.length > 0) add(out, namedPortWarnings(matrix, cp, cp.egress[j]!));
  }
  return out;
}

function add(out: Diagnostic[], warnings: readonly Warning[]): void {
  for (const w of warnings) out.push({ file: w.file, line: w.line, severity: 'warning', message: w.message });
}
