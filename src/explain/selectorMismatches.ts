import type { LabelRequirement, LabelSelector, Labels } from '../manifests/model.js';

export interface SelectorCheck {
  /** What the object has instead, per failing requirement: `app=web`, `no label tier`. */
  readonly failing: string[];
  /** What the object has for each satisfied requirement, so a miss can say "has app=frontend but ...". */
  readonly matching: string[];
}

/** Which requirements of a selector a set of labels fails and satisfies, as the labels that decide it. */
export function selectorMismatches(selector: LabelSelector, labels: Labels): SelectorCheck {
  const failing: string[] = [];
  const matching: string[] = [];
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  const actual = (k: string) => (has(k) ? `${k}=${labels[k]}` : `no label ${k}`);
  const record = (ok: boolean, key: string) => {
    const words = actual(key);
    const list = ok ? matching : failing;
    if (!list.includes(words)) list.push(words);
  };
  for (const [k, v] of Object.entries(selector.matchLabels)) record(labels[k] === v && has(k), k);
  for (const r of selector.matchExpressions) record(holds(r, labels, has(r.key)), r.key);
  return { failing, matching };
}

function holds(r: LabelRequirement, labels: Labels, has: boolean): boolean {
  switch (r.operator) {
    case 'In':
      return has && r.values.includes(labels[r.key]!);
    case 'NotIn':
      return !has || !r.values.includes(labels[r.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}
