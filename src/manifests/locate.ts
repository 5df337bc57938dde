// Lines of fields inside objects, found lazily: the bulk parse (js-yaml) keeps no positions, so when a
// diagnostic or an explanation needs the line of e.g. spec.ingress[0].from[1], the one document that holds
// it is parsed again with `yaml`, which keeps source ranges (`yaml` parses ~2 MB/s: a whole file per
// lookup made hundreds of lookups cost seconds). Only documents that need a line pay for that parse, once.
import type { Document, LineCounter, Node } from 'yaml';
import { yamlModule } from './lazyYaml.js';
import type { DocPath, SourceRef } from './model.js';
import { splitDocuments, type DocumentText } from './splitDocuments.js';

interface Located {
  readonly doc: Document.Parsed | undefined;
  readonly lineCounter: LineCounter;
  /** Add to a 1-based line of the document text to get the file's line. */
  readonly offset: number;
}

/** Split files and parsed documents, by text. Bounded, so a long-running app does not keep all it saw. */
const splits = new Map<string, DocumentText[]>();
const memo = new Map<string, Located>();
const MEMO_SIZE = 512;

/**
 * The 1-based line of `path` (relative to the object at `source`) in its file. A path that does not exist
 * gives the line of its deepest existing ancestor; an unknown file gives `source.line`.
 */
export function lineOf(texts: ReadonlyMap<string, string>, source: SourceRef, path: DocPath): number {
  const text = texts.get(source.file);
  if (text === undefined) return source.line;
  const { doc, lineCounter, offset } = locate(text, source.line);
  const { isAlias, isMap, isSeq } = yamlModule();
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
    if (at !== undefined && i >= source.path.length) best = at + offset; // inside the object, not on the way to it
  }
  return best;
}

/** The parsed document of `text` that holds `line`: the last one starting at or before it. */
function locate(text: string, line: number): Located {
  let docs = splits.get(text);
  if (!docs) {
    docs = splitDocuments(text);
    remember(splits, text, docs);
  }
  let found: DocumentText | undefined;
  for (const d of docs) {
    if (d.line <= line) found = d;
    else break;
  }
  const { LineCounter, parseDocument } = yamlModule();
  if (!found) return { doc: undefined, lineCounter: new LineCounter(), offset: 0 };
  const key = `${found.textLine}\u0000${found.text}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const lineCounter = new LineCounter();
  const doc = parseDocument(found.text, { lineCounter, uniqueKeys: false });
  const located = { doc, lineCounter, offset: found.textLine - 1 };
  remember(memo, key, located);
  return located;
}

function remember<V>(m: Map<string, V>, key: string, value: V): void {
  if (m.size >= MEMO_SIZE) m.delete(m.keys().next().value as string);
  m.set(key, value);
}

function scalarValue(node: unknown): string | undefined {
  if (node !== null && typeof node === 'object' && 'value' in node) return String((node as { value: unknown }).value);
  return node === null || node === undefined ? undefined : String(node);
}

function startLine(node: unknown, lc: LineCounter): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? lc.linePos(range[0]).line : undefined;
}
