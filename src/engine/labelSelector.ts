import type { LabelSelector, Labels } from '../manifests/model.js';

export type LabelMatcher = (labels: Labels) => boolean;

const matchEverything: LabelMatcher = () => true;

/**
 * Compile a validated LabelSelector into a predicate. Semantics of metav1.LabelSelector: every matchLabels
 * pair and every requirement must hold (AND); an empty selector matches everything. NotIn and DoesNotExist
 * match objects that lack the key.
 */
export function compileSelector(selector: LabelSelector): LabelMatcher {
  const keys = Object.keys(selector.matchLabels);
  const values = keys.map((k) => selector.matchLabels[k]);
  const reqs = selector.matchExpressions;
  if (reqs.length === 0) {
    // The common shapes, without a loop: matchers run once per (selector, class) pair.
    if (keys.length === 0) return matchEverything;
    const k0 = keys[0]!;
    const v0 = values[0];
    if (keys.length === 1) return (labels) => labels[k0] === v0;
    return (labels) => {
      if (labels[k0] !== v0) return false;
      for (let i = 1; i < keys.length; i++) if (labels[keys[i]!] !== values[i]) return false;
      return true;
    };
  }
  return (labels) => {
    for (let i = 0; i < keys.length; i++) if (labels[keys[i]!] !== values[i]) return false;
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
