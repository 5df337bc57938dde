// Why a line changed, in words: "NetworkPolicy default/backend-policy (edited, ingress rule 1,
// policies/backend.yaml:12)". Plain text: callers escape it for their format.
import type { Attribution } from '../diff/types.js';

export interface AttributionParts {
  readonly kind: string;
  readonly id: string;
  /** "edited, ingress rule 1" — the rule number is 1-based, as people count; file:line points at it. */
  readonly change: string;
  readonly location: string;
  readonly detail?: string;
}

export function attributionParts(a: Attribution): AttributionParts {
  const rule = a.rule ? `, ${a.rule.direction} rule ${a.rule.index + 1}` : '';
  return {
    kind: a.kind,
    id: a.id,
    change: `${a.change}${rule}`,
    location: `${a.file}:${a.line}`,
    ...(a.detail !== undefined ? { detail: a.detail } : {}),
  };
}
