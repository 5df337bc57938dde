// `kind: List` and typed lists (PodList, NetworkPolicyList, ... as `kubectl get -o yaml` prints them) hold
// their objects in `items`. Typed lists' items may omit kind/apiVersion: they are those of the list.
import type { SourceRef } from './model.js';
import { lineOf } from './locate.js';
import { isObject, type RawObject } from './problems.js';

export interface ListItem {
  readonly value: unknown;
  readonly source: SourceRef;
  /** Kind and apiVersion inferred from a typed list, for items that omit them. */
  readonly kind?: string;
  readonly apiVersion?: string;
}

/** Whether `obj` is a list to flatten: a kind ending in `List` with an `items` list. */
export function isList(obj: RawObject): boolean {
  return typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items);
}

/**
 * The items of a list with their sources. Item lines come from a fast scan of the `- ` entries under a
 * column-0 `items:` (kubectl's layout); when the scan does not find exactly one line per item (flow style,
 * JSON, odd indentation), they come from `lineOf`, which parses the file again but is always right.
 */
export function listItems(list: RawObject, source: SourceRef, texts: ReadonlyMap<string, string>): ListItem[] {
  const items = list.items as unknown[];
  const kind = list.kind as string;
  const inferredKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
  const apiVersion = typeof list.apiVersion === 'string' && inferredKind ? list.apiVersion : undefined;
  const scanned = scanItemLines(texts.get(source.file) ?? '', source.line);
  return items.map((value, i) => {
    const path = [...source.path, 'items', i];
    const line =
      scanned.length === items.length ? (scanned[i] as number) : lineOf(texts, source, ['items', i]);
    const item: ListItem = { value, source: { ...source, line, path } };
    if (!isObject(value)) return item;
    return {
      ...item,
      ...(value.kind === undefined && inferredKind ? { kind: inferredKind } : {}),
      ...(value.apiVersion === undefined && apiVersion ? { apiVersion } : {}),
    };
  });
}

function scanItemLines(text: string, fromLine: number): number[] {
  const lines = text.split('\n');
  const out: number[] = [];
  let indent: string | undefined;
  let inItems = false;
  for (let i = fromLine - 1; i < lines.length; i++) {
    const l = (lines[i] ?? '').replace(/\r$/, '');
    if (i >= fromLine && /^(---|\.\.\.)(\s|$)/.test(l)) break;
    if (!inItems) {
      inItems = /^items:\s*(#.*)?$/.test(l);
      continue;
    }
    const m = /^( *)- /.exec(l) ?? /^( *)-$/.exec(l);
    if (indent === undefined && m) indent = m[1];
    if (m && m[1] === indent) out.push(i + 1);
    else if (/^\S/.test(l) && !l.startsWith('#')) break; // next top-level key
  }
  return out;
}
