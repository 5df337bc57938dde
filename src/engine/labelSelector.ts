import type { LabelSelector, Labels } from '../manifests/model.js';

export type LabelMatcher = (labels: Labels) => boolean;

const matchEverything: LabelMatcher = () => true;

/**
 * Compile a validated LabelSelector into a predicate. Semantics of metav1.LabelSelector: every matchLabels
 * pair and every requirement must hold (AND); an empty selector matches everything. NotIn and DoesNotExist
 * match objects that lack the key.
 */
export function compileSelector(selector: LabelSelector): LabelMatcher {
  const matchLabels = selector.matchLabels;
  const reqs = selector.matchExpressions;
  let count = 0;
  let k0 = '';
  for (const k in matchLabels) if (count++ === 0) k0 = k;
  // The common shapes get closures of their own (a compiled cluster holds one matcher per policy and peer, and
  // a closure keeps every variable any closure of its function reads): no lists for one label.
  if (reqs.length === 0) {
    if (count === 0) return matchEverything;
    if (count === 1) return oneLabel(k0, matchLabels[k0]!);
  }
  const keys = Object.keys(matchLabels);
  const values = keys.map((k) => matchLabels[k]);
  return reqs.length === 0 ? allLabels(keys, values) : labelsAndRequirements(keys, values, reqs);
}

function oneLabel(k: string, v: string): LabelMatcher {
  return (labels) => labels[k] === v;
}

function allLabels(keys: readonly string[], values: readonly (string | undefined)[]): LabelMatcher {
  return (labels) => {
    for (let i = 0; i < keys.length; i++) if (labels[keys[i]!] !== values[i]) return false;
    return true;
  };
}

function labelsAndRequirements(
  keys: readonly string[],
  values: readonly (string | undefined)[],
  reqs: LabelSelector['matchExpressions'],
): LabelMatcher {
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
  const keys = Object.keys(labels);
  if (keys.length > 1) keys.sort();
  for (let i = 0; i < keys.length; i++) keys[i] = `${keys[i]}=${labels[keys[i]!]}`;
  return keys.join('\u0001');
}
