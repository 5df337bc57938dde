// readSelector builds a field's path only when it has a problem; the problems (messages, paths, order) and
// the selector must be those of the plain reading, kept here as the reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { qualifiedNameProblems, labelValueProblems } from '../../src/manifests/k8sNames.js';
import { readLabels } from '../../src/manifests/labels.js';
import type { DocPath, LabelRequirement, LabelSelector, SelectorOperator } from '../../src/manifests/model.js';
import { ProblemList } from '../../src/manifests/problems.js';
import { readSelector } from '../../src/manifests/selector.js';

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function reference(raw: unknown, path: DocPath, problems: ProblemList): LabelSelector | undefined {
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
    const values = (problems.list(expr.values, [...p, 'values']) ?? []).map((v, j) => problems.string(v, [...p, 'values', j]));
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
      matchExpressions.push({ key, operator: operator as SelectorOperator, values: values.filter((v): v is string => v !== undefined) });
    }
  });
  return problems.errorsSince(before) ? undefined : { matchLabels, matchExpressions };
}

const junk = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}), fc.constantFrom('x', 'a b', '-bad', ''));
const word = fc.constantFrom('app', 'tier', 'example.com/team', 'Bad Key', 'a/b/c', 'web', 'db', '');
const expression = fc.oneof(
  fc.record(
    {
      key: fc.oneof(word, junk),
      operator: fc.oneof(fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Equals'), junk),
      values: fc.oneof(fc.array(word, { maxLength: 3 }), fc.array(fc.oneof(word, junk), { maxLength: 3 }), junk),
      extra: junk,
    },
    { requiredKeys: [] },
  ),
  junk,
);
const selector = fc.oneof(
  fc.record(
    {
      matchLabels: fc.oneof(fc.dictionary(word, fc.oneof(word, junk), { maxKeys: 3 }), junk),
      matchExpressions: fc.oneof(fc.array(expression, { maxLength: 4 }), junk),
      matchLabel: junk,
    },
    { requiredKeys: [] },
  ),
  junk,
);

describe('readSelector', () => {
  it('reads as the plain reading does: the same selector and the same problems', () => {
    fc.assert(
      fc.property(selector, (raw) => {
        const a = new ProblemList();
        const b = new ProblemList();
        expect(readSelector(raw, ['spec', 'podSelector'], a)).toEqual(reference(raw, ['spec', 'podSelector'], b));
        expect(a.items).toEqual(b.items);
      }),
      { numRuns: 2000 },
    );
  });
});
