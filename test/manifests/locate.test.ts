import { describe, expect, it } from 'vitest';
import { documentAt, lineOf, rememberSplit } from '../../src/manifests/locate.js';
import { parseFile } from '../../src/manifests/parseFile.js';
import { splitDocuments } from '../../src/manifests/splitDocuments.js';
import type { SourceRef } from '../../src/manifests/model.js';

const text = [
  'a: 1', //                                 1
  '---', //                                  2
  '# the policy', //                         3
  'apiVersion: networking.k8s.io/v1', //     4
  'spec:', //                                5
  '  ingress:', //                           6
  '  - from:', //                            7
  '    - podSelector: {}', //                8
  '    - ipBlock:', //                       9
  '        cidr: 10.0.0.0/8', //             10
  '    ports:', //                           11
  '    - port: 80', //                       12
  '---', //                                  13
  'kind: List', //                           14
  'items:', //                               15
  '- metadata:', //                          16
  '    name: a', //                          17
  '- metadata: {name: b}', //                18
].join('\n');
const texts = new Map([['f.yaml', text]]);
const src = (line: number, path: (string | number)[] = []): SourceRef => ({ file: 'f.yaml', line, doc: 0, path });

describe('lineOf', () => {
  it.each<[string, SourceRef, (string | number)[], number]>([
    ['the object itself', src(4), [], 4],
    ['a field: the line of its key', src(4), ['spec', 'ingress'], 6],
    ['a list item: the line of its content', src(4), ['spec', 'ingress', 0], 7],
    ['a nested peer', src(4), ['spec', 'ingress', 0, 'from', 1], 9],
    ['a scalar inside a peer', src(4), ['spec', 'ingress', 0, 'from', 1, 'ipBlock', 'cidr'], 10],
    ['a port', src(4), ['spec', 'ingress', 0, 'ports', 0, 'port'], 12],
    ['a missing field: its deepest existing ancestor', src(4), ['spec', 'ingress', 0, 'ports', 0, 'endPort'], 12],
    ['a missing path from the start: the object line', src(4), ['nope'], 4],
    ['the first document', src(1), ['a'], 1],
    ['a list item object (path inside the document)', src(16, ['items', 0]), ['metadata', 'name'], 17],
    ['a flow-style list item', src(18, ['items', 1]), ['metadata', 'name'], 18],
    ['an unknown file: the object line', { file: 'other.yaml', line: 7, doc: 0, path: [] }, ['spec'], 7],
  ])('%s', (_n, source, path, line) => {
    expect(lineOf(texts, source, path)).toBe(line);
  });

  it('memoised by path, still answers for the text at hand (another side of a diff, an edited file)', () => {
    const a = 'kind: A\nspec:\n  x: 1\n---\nkind: B\nspec:\n  y: 2\n';
    const b = 'kind: A\n\n\nspec:\n  x: 1\n---\nkind: B\nspec:\n\n  y: 2\n';
    const at = (t: string, line: number, path: string[]) => lineOf(new Map([['same.yaml', t]]), { file: 'same.yaml', line, doc: 0, path: [] }, path);
    for (let round = 0; round < 2; round++) {
      expect(at(a, 1, ['spec', 'x'])).toBe(3);
      expect(at(b, 1, ['spec', 'x'])).toBe(5);
      expect(at(a, 5, ['spec', 'y'])).toBe(7);
      expect(at(b, 7, ['spec', 'y'])).toBe(10);
      // An equal text in another string: the memo's answer.
      expect(at([a.slice(0, 5), a.slice(5)].join(''), 5, ['spec', 'y'])).toBe(7);
    }
  });

  it('works on CRLF text and JSON', () => {
    const crlf = new Map([['c.yaml', 'a: 1\r\nb:\r\n  c: 2\r\n']]);
    expect(lineOf(crlf, { file: 'c.yaml', line: 1, doc: 0, path: [] }, ['b', 'c'])).toBe(3);
    const json = new Map([['j.json', '{\n  "spec": {\n    "podSelector": {}\n  }\n}']]);
    expect(lineOf(json, { file: 'j.json', line: 1, doc: 0, path: [] }, ['spec', 'podSelector'])).toBe(3);
  });
});

describe('documentAt: the document around a line, split from its markers only', () => {
  /** What splitting the whole file says: the last document starting at or before the line. */
  const whole = (t: string, line: number) => splitDocuments(t).filter((d) => d.line <= line).at(-1);
  /** A document's non-blank lines, numbered as in the file (blanked leading comments carry no content). */
  const content = (d: { textLine: number; text: string } | undefined) =>
    d && d.text.split('\n').flatMap((l, i) => (l === '' ? [] : [`${d.textLine + i}:${l}`]));
  const same = (t: string): void => {
    const n = t.split('\n').length;
    for (let line = 0; line <= n + 1; line++) {
      const want = whole(t, line);
      const got = documentAt(t, line);
      expect(got?.line, `line ${line} of ${JSON.stringify(t)}`).toBe(want?.line);
      expect(content(got), `line ${line} of ${JSON.stringify(t)}`).toEqual(content(want));
    }
  };

  it('agrees with splitting the whole file', () => {
    for (const t of [
      text,
      '# head\n\n---\n# c\na: 1\n...\nb: 2\n--- {c: 3}\n---\n---\n',
      '---x: 1\n----\n--- \n  d: 4\n... # end\n\n',
      'a: |\n  ---\n  ...\nb: 1',
      '%YAML 1.2\n---\na: 1\n',
      'a: 1\r\n---\r\nb: 2\r\n',
      '\ufeffa: 1\n---\nb: 2\n',
      '',
      '# only a comment\n',
    ]) {
      same(t);
    }
  });

  it('agrees with splitting the whole file on random streams', () => {
    const pool = ['---', '--- ', '--- {a: 1}', '...', '... # x', '# c', '', 'a: 1', 'b:', '  c: 2', '- x', 'items:', '  - y', '----', '---a', '  ---', '%TAG ! x'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % pool.length;
    for (let k = 0; k < 400; k++) {
      const lines = Array.from({ length: 1 + (k % 17) }, () => pool[next()]!);
      same(lines.join('\n') + (k % 3 === 0 ? '\n' : ''));
    }
  });
});

describe("documentAt: the parse's split of a file", () => {
  it('answers as splitting the file, for the text the parse split, and ignores it for another text', () => {
    const t = '# head\n\n---\n# c\na: 1\n...\nb: 2\n--- {c: 3}\n---\n---\nd: 4\n';
    const n = t.split('\n').length;
    const before = Array.from({ length: n + 2 }, (_, line) => documentAt(t, line));
    rememberSplit('split.yaml', t, splitDocuments(t));
    for (let line = 0; line <= n + 1; line++) {
      const got = documentAt(t, line, 'split.yaml');
      expect(got?.line, `line ${line}`).toBe(before[line]?.line);
      // Numbered lines: a split blanks the lines before a `---` where the markers' region starts at it.
      const numbered = (d: { textLine: number; text: string } | undefined) => d && d.text.split('\n').flatMap((l, i) => (l === '' ? [] : [`${d.textLine + i}:${l}`]));
      expect(numbered(got), `line ${line}`).toEqual(numbered(before[line]));
    }
    // Another text at that path (an edited file): its own documents.
    const other = 'x: 1\n---\ny: 2\n';
    expect(documentAt(other, 3, 'split.yaml')?.line).toBe(3);
  });

  it('is handed over by parseFile (by file): lines of a parsed file are the lines of an unparsed one', () => {
    const docs = [0, 1, 2].map((d) => `kind: NetworkPolicy\nspec:\n${'  # pad\n'.repeat(d)}  egress:\n    - ports:\n        - port: p${d}\n`);
    const t = docs.join('---\n');
    const unparsed = [1, 8, 16].map((line, d) => lineOf(new Map([['fresh.yaml', t]]), { file: 'fresh.yaml', line, doc: d, path: [] }, ['spec', 'egress', 0, 'ports', 0]));
    parseFile({ path: 'parsed.yaml', text: t }, { byFile: true });
    const parsed = [1, 8, 16].map((line, d) => lineOf(new Map([['parsed.yaml', t]]), { file: 'parsed.yaml', line, doc: d, path: [] }, ['spec', 'egress', 0, 'ports', 0]));
    expect(parsed).toEqual(unparsed);
    expect(parsed).toEqual([5, 12, 20]);
  });
});

describe('lineOf past its memo of documents', () => {
  it('gives the same lines when more documents than the memo holds are looked up, in any order', () => {
    // 300 files of 3 documents (900 > the 512 remembered), each document's ports at a line of its own.
    const files = new Map<string, string>();
    for (let f = 0; f < 300; f++) {
      const docs = [0, 1, 2].map((d) => `kind: NetworkPolicy\nspec:\n${'  # pad\n'.repeat((f + d) % 4)}  ingress:\n    - ports:\n        - port: p${d}\n`);
      files.set(`f${f}.yaml`, docs.join('---\n'));
    }
    const expected = (f: number, d: number): number => {
      let line = 1;
      for (let k = 0; k < d; k++) line += 5 + ((f + k) % 4) + 1;
      return line + 2 + ((f + d) % 4) + 2;
    };
    for (const round of [0, 1]) {
      for (let i = 0; i < 900; i++) {
        const n = round === 0 ? i : (i * 7) % 900;
        const f = Math.floor(n / 3);
        const d = n % 3;
        const start = expected(f, d) - 4 - ((f + d) % 4);
        const source: SourceRef = { file: `f${f}.yaml`, line: start, doc: d, path: [] };
        expect(lineOf(files, source, ['spec', 'ingress', 0, 'ports', 0]), `${f}/${d}`).toBe(expected(f, d));
        // A second path of the same document.
        expect(lineOf(files, source, ['spec']), `${f}/${d} spec`).toBe(start + 1);
      }
    }
  });
});
