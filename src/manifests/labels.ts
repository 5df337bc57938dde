// A map of labels (metadata.labels, matchLabels), validated as ValidateLabels does: keys are qualified
// names, values label values, and both must be strings (a YAML `version: 1` is rejected by the API).
import type { DocPath, Labels } from './model.js';
import { labelValueProblems, qualifiedNameProblems } from './k8sNames.js';
import type { ProblemList } from './problems.js';

/** Reads labels; undefined after a type error of the whole map. Invalid entries are recorded and dropped. */
export function readLabels(raw: unknown, path: DocPath, problems: ProblemList): Labels | undefined {
  const obj = problems.object(raw, path);
  if (!obj) return undefined;
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(obj)) {
    const p = [...path, key];
    const keyProblems = qualifiedNameProblems(key);
    if (keyProblems.length > 0) problems.error(p, `label key "${key}": ${keyProblems.join('; ')}`);
    const v = problems.string(value, p);
    if (v === undefined) continue;
    for (const m of labelValueProblems(v)) problems.error(p, `label value "${v}": ${m}`);
    labels[key] = v;
  }
  return labels;
}
