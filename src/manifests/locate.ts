// Lines of fields inside objects, found lazily: the bulk parse (js-yaml) keeps no positions, so when a
// diagnostic or an explanation needs the line of e.g. spec.ingress[0].from[1], the file is parsed again
// with `yaml`, which keeps source ranges. Only files that need a line pay for that parse, once.
import type { Document, LineCounter, Node } from 'yaml';
import { yamlModule } from './lazyYaml.js';
import type { DocPath, SourceRef } from './model.js';
import { normaliseText } from './splitDocuments.js';

interface Located {
  readonly docs: Document.Parsed[];
  readonly lineCounter: LineCounter;
}

/** Parsed files by text. Bounded, so a long-running app does not keep every file it ever saw. */
const memo = new Map<string, Located>();
const MEMO_SIZE = 32;

/**
 * The 1-based line of `path` (relative to the object at `source`) in its file. A path that does not exist
 * gives the line of its deepest existing ancestor; an unknown file gives `source.line`.
 */
export function lineOf(texts: ReadonlyMap<string, string>, source: SourceRef, path: DocPath): number {
  const text = texts.get(source.file);
  if (text === undefined) return source.line;
  const { docs, lineCounter } = locate(text);
  const { isAlias, isMap, isSeq } = yamlModule();
  const doc = documentAtLine(docs, lineCounter, source.line);
  if (!doc) return source.line;
  let node: unknown = doc.contents;
  let best = source.line;
  for (const [i, key] of [...source.path, ...path].entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => scalarValue(p.key) === String(key));
      if (!pair) break;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      keyNode = node;
    } else break;
    // A field's line is the line of its key; a list item's line is that of its content.
    const at = startLine(keyNode, lineCounter) ?? startLine(node, lineCounter);
    if (at !== undefined && i >= source.path.length) best = at; // inside the object, not on the way to it
  }
  return best;
}

function locate(text: string): Located {
  const hit = memo.get(text);
  if (hit) return hit;
  const { LineCounter, parseAllDocuments } = yamlModule();
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(normaliseText(text), { lineCounter, uniqueKeys: false });
  const located = { docs: Array.isArray(docs) ? docs : [], lineCounter };
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(text, located);
  return located;
}

/** The document whose contents hold `line`: the last one starting at or before it. */
function documentAtLine(docs: Document.Parsed[], lc: LineCounter, line: number): Document.Parsed | undefined {
  let found: Document.Parsed | undefined;
  for (const doc of docs) {
    const start = doc.contents?.range?.[0];
    if (start === undefined) continue;
    if (lc.linePos(start).line <= line) found = doc;
    else break;
  }
  return found;
}

function scalarValue(node: unknown): string | undefined {
  if (node !== null && typeof node === 'object' && 'value' in node) return String((node as { value: unknown }).value);
  return node === null || node === undefined ? undefined : String(node);
}

function startLine(node: unknown, lc: LineCounter): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? lc.linePos(range[0]).line : undefined;
}
