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
  // The path of an entry is only built for a problem: labels are read by the hundred thousand.
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    const keyProblems = qualifiedNameProblems(key);
    if (keyProblems.length > 0) problems.error([...path, key], `label key "${key}": ${keyProblems.join('; ')}`);
    if (typeof value !== 'string') {
      problems.string(value, [...path, key]);
      continue;
    }
    const valueProblems = labelValueProblems(value);
    for (const m of valueProblems) problems.error([...path, key], `label value "${value}": ${m}`);
    labels[key] = value;
  }
  return labels;
}
