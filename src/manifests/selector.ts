// metav1.LabelSelector, validated as ValidateLabelSelector (apimachinery meta/v1/validation) does.
import type { DocPath, LabelRequirement, LabelSelector, Labels, SelectorOperator } from './model.js';
import { qualifiedNameProblems, labelValueProblems } from './k8sNames.js';
import { isObject, type ProblemList } from './problems.js';
import { pathOf, readLabels, validKey, validValue, type PathRef } from './labels.js';

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

// Shared by every selector without labels or requirements (the model is never changed once read, and a
// model holds hundreds of thousands of selectors).
const NO_LABELS: Labels = {};
const NO_REQUIREMENTS: readonly LabelRequirement[] = [];

/** Reads a label selector; undefined when it has errors (recorded in `problems`). */
export function readSelector(raw: unknown, path: PathRef, problems: ProblemList): LabelSelector | undefined {
  // Selectors are read by the hundred thousand and nearly all are valid: paths are only built for a problem.
  const before = problems.items.length;
  const obj = isObject(raw) ? raw : problems.object(raw, pathOf(path));
  if (!obj) return undefined;
  for (const k in obj) {
    if (k !== 'matchLabels' && k !== 'matchExpressions') {
      problems.knownFields(obj, ['matchLabels', 'matchExpressions'], pathOf(path));
      break;
    }
  }
  const labelsRaw = obj.matchLabels;
  const matchLabels =
    labelsRaw === undefined || labelsRaw === null ? NO_LABELS : (readLabels(labelsRaw, () => [...pathOf(path), 'matchLabels'], problems) ?? {});
  const exprsRaw = obj.matchExpressions;
  if (exprsRaw === undefined || exprsRaw === null || (Array.isArray(exprsRaw) && exprsRaw.length === 0)) {
    return problems.items.length !== before && problems.errorsSince(before) ? undefined : { matchLabels, matchExpressions: NO_REQUIREMENTS };
  }
  const matchExpressions: LabelRequirement[] = [];
  const exprs = Array.isArray(exprsRaw) ? exprsRaw : (problems.list(exprsRaw, [...pathOf(path), 'matchExpressions']) ?? []);
  exprs.forEach((rawExpr, i) => {
    const p = (): DocPath => [...pathOf(path), 'matchExpressions', i];
    const expr = isObject(rawExpr) ? rawExpr : problems.object(rawExpr, p());
    if (!expr) return;
    for (const k in expr) {
      if (!EXPRESSION_FIELDS.includes(k)) {
        problems.knownFields(expr, EXPRESSION_FIELDS, p());
        break;
      }
    }
    const keyRaw = expr.key ?? '';
    const key = typeof keyRaw === 'string' ? keyRaw : problems.string(keyRaw, [...p(), 'key']);
    const operatorRaw = expr.operator ?? '';
    const operator = typeof operatorRaw === 'string' ? operatorRaw : problems.string(operatorRaw, [...p(), 'operator']);
    const valuesRaw = expr.values;
    const values: (string | undefined)[] =
      valuesRaw === undefined || valuesRaw === null
        ? []
        : Array.isArray(valuesRaw) && valuesRaw.every((v) => typeof v === 'string')
          ? (valuesRaw as string[])
          : (problems.list(valuesRaw, [...p(), 'values']) ?? []).map((v, j) => problems.string(v, [...p(), 'values', j]));
    if (operator !== undefined) {
      if (!OPERATORS.includes(operator)) {
        problems.error([...p(), 'operator'], `"${operator}" is not a valid selector operator (In, NotIn, Exists, DoesNotExist)`);
      } else if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
        problems.error([...p(), 'values'], "must be specified when `operator` is 'In' or 'NotIn'");
      } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
        problems.error([...p(), 'values'], "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
      }
    }
    if (key !== undefined && !validKey(key)) {
      const keyProblems = qualifiedNameProblems(key);
      if (keyProblems.length > 0) problems.error([...p(), 'key'], `"${key}": ${keyProblems.join('; ')}`);
    }
    values.forEach((v, j) => {
      if (v === undefined || validValue(v)) return;
      for (const m of labelValueProblems(v)) problems.error([...p(), 'values', j], `"${v}": ${m}`);
    });
    if (key !== undefined && operator !== undefined && OPERATORS.includes(operator)) {
      // The parsed requirement itself when it is exactly what would be made (parsed values are never changed):
      // selectors with requirements are read by the ten thousand, and each copy was kept by the model.
      if (values === valuesRaw && plainRequirement(expr)) {
        matchExpressions.push(expr as unknown as LabelRequirement);
        return;
      }
      matchExpressions.push({
        key,
        operator: operator as SelectorOperator,
        // The parsed list as it is when every value is a string (parsed values are never changed, and parsed
        // lists are at their length), else copied to its length (a list grown item by item keeps room for 17).
        values: values === valuesRaw ? (values as string[]) : values.filter((v): v is string => v !== undefined).slice(),
      });
    }
  });
  return problems.items.length !== before && problems.errorsSince(before)
    ? undefined
    : { matchLabels, matchExpressions: matchExpressions.length === 0 ? NO_REQUIREMENTS : matchExpressions.slice() };
}

const EXPRESSION_FIELDS: readonly string[] = ['key', 'operator', 'values'];

/**
 * A plain map with exactly the fields key, operator and values, in this order (the order of a requirement
 * made here: selectors are compared by their JSON), so that, its values read as they are, it is such a
 * requirement.
 */
function plainRequirement(expr: Record<string, unknown>): boolean {
  if (Object.getPrototypeOf(expr) !== Object.prototype) return false;
  let i = 0;
  for (const k in expr) if (k !== EXPRESSION_FIELDS[i++]) return false;
  return i === 3;
}

/** What readSelector reads from an empty (or absent) selector: a new one (the model's are never shared). */
export function emptySelector(): LabelSelector {
  return { matchLabels: NO_LABELS, matchExpressions: NO_REQUIREMENTS };
}

/**
 * The selector as readSelector reads it when that records no problem; undefined otherwise (or when unsure),
 * for readSelector's full reading. Without paths, closures or a problem list: nearly every selector is valid,
 * and policies' are read by the ten thousand in a cold run (see policySpec.ts, readValidPolicySpec).
 */
export function readValidSelector(raw: unknown): LabelSelector | undefined {
  if (!isObject(raw)) return undefined;
  for (const k in raw) if (k !== 'matchLabels' && k !== 'matchExpressions') return undefined;
  const labelsRaw = raw.matchLabels;
  let matchLabels = NO_LABELS;
  if (labelsRaw !== undefined && labelsRaw !== null) {
    // readLabels gives a valid plain map as it is.
    if (!isObject(labelsRaw) || Object.getPrototypeOf(labelsRaw) !== Object.prototype) return undefined;
    for (const key in labelsRaw) if (!validKey(key) || !validValue(labelsRaw[key])) return undefined;
    matchLabels = labelsRaw as Labels;
  }
  const exprsRaw = raw.matchExpressions;
  if (exprsRaw === undefined || exprsRaw === null) return { matchLabels, matchExpressions: NO_REQUIREMENTS };
  if (!Array.isArray(exprsRaw)) return undefined;
  if (exprsRaw.length === 0) return { matchLabels, matchExpressions: NO_REQUIREMENTS };
  // Made at its length: most selectors have one or two requirements (a list grown item by item keeps room
  // for 17, and copying it to its length left that list as garbage).
  const first = readValidRequirement(exprsRaw[0]);
  if (first === undefined) return undefined;
  if (exprsRaw.length === 1) return { matchLabels, matchExpressions: [first] };
  const second = readValidRequirement(exprsRaw[1]);
  if (second === undefined) return undefined;
  if (exprsRaw.length === 2) return { matchLabels, matchExpressions: [first, second] };
  const matchExpressions: LabelRequirement[] = [first, second];
  for (let i = 2; i < exprsRaw.length; i++) {
    const requirement = readValidRequirement(exprsRaw[i]);
    if (requirement === undefined) return undefined;
    matchExpressions.push(requirement);
  }
  return { matchLabels, matchExpressions: matchExpressions.slice() };
}

/** One of matchExpressions as readSelector reads it when it has no problem; undefined otherwise. */
function readValidRequirement(expr: unknown): LabelRequirement | undefined {
  if (!isObject(expr)) return undefined;
  for (const k in expr) if (!EXPRESSION_FIELDS.includes(k)) return undefined;
  const key = expr.key;
  const operator = expr.operator;
  if (typeof key !== 'string' || typeof operator !== 'string' || !validKey(key)) return undefined;
  const valuesRaw = expr.values;
  const exists = operator === 'Exists' || operator === 'DoesNotExist';
  if (!exists && operator !== 'In' && operator !== 'NotIn') return undefined;
  if (valuesRaw === undefined || valuesRaw === null) {
    // readSelector's `values.filter(...).slice()` of an empty list: a list of its own.
    return exists ? { key, operator, values: [] } : undefined;
  }
  if (!Array.isArray(valuesRaw) || (exists ? valuesRaw.length > 0 : valuesRaw.length === 0)) return undefined;
  for (let j = 0; j < valuesRaw.length; j++) if (!validValue(valuesRaw[j])) return undefined;
  // The parsed requirement itself when it is exactly what would be made (see readSelector).
  if (plainRequirement(expr)) return expr as unknown as LabelRequirement;
  return { key, operator, values: valuesRaw as string[] };
}
