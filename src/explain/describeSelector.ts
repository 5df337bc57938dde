import type { LabelRequirement, LabelSelector } from '../manifests/model.js';

/**
 * A selector's requirements in words, without the noun: `app=backend,tier=web`,
 * `with tier in (web, api)`, `without key x`, or '' for an empty selector (everything).
 * matchLabels keep kubectl's `k=v,k2=v2` form, which reviewers already read fluently.
 */
export function describeSelector(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const exprs = selector.matchExpressions.map(describeRequirement).join(' and ');
  return [labels, exprs].filter((s) => s !== '').join(' ');
}

function describeRequirement(r: LabelRequirement): string {
  switch (r.operator) {
    case 'In':
      return `with ${r.key} in (${r.values.join(', ')})`;
    // NotIn also matches objects without the key, hence "without ... in" rather than "with ... not in".
    case 'NotIn':
      return `without ${r.key} in (${r.values.join(', ')})`;
    case 'Exists':
      return `with key ${r.key}`;
    case 'DoesNotExist':
      return `without key ${r.key}`;
  }
}
