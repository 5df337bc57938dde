// A map of labels (metadata.labels, matchLabels), validated as ValidateLabels does: keys are qualified
// names, values label values, and both must be strings (a YAML `version: 1` is rejected by the API).
import type { DocPath, Labels } from './model.js';
import { labelValueProblems, qualifiedNameProblems } from './k8sNames.js';
import { isObject, type ProblemList } from './problems.js';

/**
 * A path, or how to make it: readers are called by the hundred thousand and nearly everything they read is
 * valid, so the paths of nested fields are only built for a problem.
 */
export type PathRef = DocPath | (() => DocPath);

export function pathOf(p: PathRef): DocPath {
  return typeof p === 'function' ? p() : p;
}

/**
 * Reads labels; undefined after a type error of the whole map. Invalid entries are recorded and dropped.
 * When every entry is valid the map read is returned as it is (parsed values are never changed; sharing them
 * saves a copy of every label map of the model).
 */
export function readLabels(raw: unknown, path: PathRef, problems: ProblemList): Labels | undefined {
  const obj = isObject(raw) ? raw : problems.object(raw, pathOf(path));
  if (!obj) return undefined;
  let valid = true;
  for (const key in obj) {
    if (!validKey(key) || !validValue(obj[key])) {
      valid = false;
      break;
    }
  }
  if (valid && Object.getPrototypeOf(obj) === Object.prototype) return obj as Labels;
  const labels: Record<string, string> = {};
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    const keyProblems = qualifiedNameProblems(key);
    if (keyProblems.length > 0) problems.error([...pathOf(path), key], `label key "${key}": ${keyProblems.join('; ')}`);
    if (typeof value !== 'string') {
      problems.string(value, [...pathOf(path), key]);
      continue;
    }
    const valueProblems = labelValueProblems(value);
    for (const m of valueProblems) problems.error([...pathOf(path), key], `label value "${value}": ${m}`);
    labels[key] = value;
  }
  return labels;
}

/** Label keys found valid (qualifiedNameProblems empty): the same few keys recur in every manifest. */
const validKeys = new Set<string>();

export function validKey(key: string): boolean {
  if (validKeys.has(key)) return true;
  // `__proto__` is invalid (it starts with `_`), so the map returned as it is never has it.
  if (qualifiedNameProblems(key).length > 0) return false;
  if (validKeys.size >= 10_000) validKeys.clear();
  validKeys.add(key);
  return true;
}

/** labelValueProblems(v) is empty: '' or a name of at most 63 characters (k8sNames.ts). */
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

export function validValue(v: unknown): boolean {
  return typeof v === 'string' && v.length <= 63 && LABEL_VALUE.test(v);
}
