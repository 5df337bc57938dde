// metav1.LabelSelector, validated as ValidateLabelSelector (apimachinery meta/v1/validation) does.
import type { DocPath, LabelRequirement, LabelSelector, SelectorOperator } from './model.js';
import { qualifiedNameProblems, labelValueProblems } from './k8sNames.js';
import type { ProblemList } from './problems.js';
import { readLabels } from './labels.js';

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Reads a label selector; undefined when it has errors (recorded in `problems`). */
export function readSelector(raw: unknown, path: DocPath, problems: ProblemList): LabelSelector | undefined {
  const before = problems.items.length;
  const obj = problems.object(raw, path);
  if (!obj) return undefined;
  problems.knownFields(obj, ['matchLabels', 'matchExpressions'], path);
  const matchLabels = readLabels(obj.matchLabels, [...path, 'matchLabels'], problems) ?? {};
  const matchExpressions: LabelRequirement[] = [];
  const exprs = problems.list(obj.matchExpressions, [...path, 'matchExpressions']) ?? [];
  exprs.forEach((rawExpr, i) => {
    const p = [...path, 'matchExpressions', i];
    const expr = problems.object(rawExpr, p);
    if (!expr) return;
    problems.knownFields(expr, ['key', 'operator', 'values'], p);
    const key = problems.string(expr.key ?? '', [...p, 'key']);
    const operator = problems.string(expr.operator ?? '', [...p, 'operator']);
    const values = (problems.list(expr.values, [...p, 'values']) ?? []).map((v, j) =>
      problems.string(v, [...p, 'values', j]),
    );
    if (operator !== undefined) {
      if (!OPERATORS.includes(operator)) {
        problems.error([...p, 'operator'], `"${operator}" is not a valid selector operator (In, NotIn, Exists, DoesNotExist)`);
      } else if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
        problems.error([...p, 'values'], "must be specified when `operator` is 'In' or 'NotIn'");
      } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
        problems.error([...p, 'values'], "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
      }
    }
    if (key !== undefined) {
      const keyProblems = qualifiedNameProblems(key);
      if (keyProblems.length > 0) problems.error([...p, 'key'], `"${key}": ${keyProblems.join('; ')}`);
    }
    values.forEach((v, j) => {
      if (v === undefined) return;
      for (const m of labelValueProblems(v)) problems.error([...p, 'values', j], `"${v}": ${m}`);
    });
    if (key !== undefined && operator !== undefined && OPERATORS.includes(operator)) {
      matchExpressions.push({
        key,
        operator: operator as SelectorOperator,
        values: values.filter((v): v is string => v !== undefined),
      });
    }
  });
  return problems.errorsSince(before) ? undefined : { matchLabels, matchExpressions };
}
