// Typed reading of raw (untyped) manifest values. The API server decodes manifests into Go structs and
// rejects wrong types and unknown fields (kubectl's default --validate=strict); these helpers do the same
// checks and record each problem with the path of the offending field, so its line can be found.
import type { DocPath, Severity } from './model.js';

export interface Problem {
  readonly path: DocPath;
  readonly message: string;
  readonly severity: Severity;
}

export type RawObject = Record<string, unknown>;

/** `['spec', 'ingress', 0, 'from']` -> `spec.ingress[0].from`, the notation of Kubernetes' errors. */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  if (typeof v === 'string') return 'a string';
  return `a ${typeof v}`;
}

export function isObject(v: unknown): v is RawObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Collects problems while reading one object. */
export class ProblemList {
  readonly items: Problem[] = [];

  error(path: DocPath, message: string): void {
    this.items.push({ path, message: `${formatPath(path)}: ${message}`, severity: 'error' });
  }

  warning(path: DocPath, message: string): void {
    this.items.push({ path, message: `${formatPath(path)}: ${message}`, severity: 'warning' });
  }

  get hasErrors(): boolean {
    return this.items.some((p) => p.severity === 'error');
  }

  /** Whether an error was recorded after the first `count` problems (a mark taken with `.items.length`). */
  errorsSince(count: number): boolean {
    return this.items.slice(count).some((p) => p.severity === 'error');
  }

  /** A map (or null/absent, which Go decodes as empty): undefined after recording a type error. */
  object(v: unknown, path: DocPath): RawObject | undefined {
    if (v === undefined || v === null) return {};
    if (isObject(v)) return v;
    this.error(path, `must be a map, not ${typeName(v)}`);
    return undefined;
  }

  /** A list (or null/absent, which Go decodes as empty): undefined after recording a type error. */
  list(v: unknown, path: DocPath): unknown[] | undefined {
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.error(path, `must be a list, not ${typeName(v)}`);
    return undefined;
  }

  string(v: unknown, path: DocPath): string | undefined {
    if (typeof v === 'string') return v;
    this.error(path, `must be a string, not ${typeName(v)}`);
    return undefined;
  }

  /** Records every field of `obj` not in `known` (a typo such as `matchLabel` would change the meaning). */
  knownFields(obj: RawObject, known: readonly string[], path: DocPath): void {
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) this.error([...path, key], 'unknown field');
    }
  }
}
