import type { LabelSelector, Labels } from '../manifests/model.js';

export type LabelMatcher = (labels: Labels) => boolean;

const matchEverything: LabelMatcher = () => true;

/**
 * Compile a validated LabelSelector into a predicate. Semantics of metav1.LabelSelector: every matchLabels
 * pair and every requirement must hold (AND); an empty selector matches everything. NotIn and DoesNotExist
 * match objects that lack the key.
 */
export function compileSelector(selector: LabelSelector): LabelMatcher {
  const pairs = Object.entries(selector.matchLabels);
  const reqs = selector.matchExpressions;
  if (pairs.length === 0 && reqs.length === 0) return matchEverything;
  return (labels) => {
    for (const [k, v] of pairs) if (labels[k] !== v) return false;
    for (const r of reqs) {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      switch (r.operator) {
        case 'In':
          if (!has || !r.values.includes(labels[r.key]!)) return false;
          break;
        case 'NotIn':
          if (has && r.values.includes(labels[r.key]!)) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
      }
    }
    return true;
  };
}

/** True for a selector that selects everything (`{}`). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/** Labels as one canonical string (keys sorted): equal strings for equal label sets. */
export function labelsKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0001');
}
