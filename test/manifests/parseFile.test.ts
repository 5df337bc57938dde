import { describe, expect, it } from 'vitest';
import { parseFile, HELM_MESSAGE, MAX_NODES_WITH_ALIASES } from '../../src/manifests/parseFile.js';

const parse = (text: string, path = 'm.yaml') => parseFile({ path, text });

describe('parseFile: documents', () => {
  it.each([
    ['a YAML document', 'a: 1\n', [{ doc: 0, line: 1, value: { a: 1 } }]],
    ['several documents with their first lines', '# c\na: 1\n---\n\nb: 2\n', [{ doc: 0, line: 2, value: { a: 1 } }, { doc: 1, line: 5, value: { b: 2 } }]],
    ['tabs inside a flow sequence (kubectl accepts them)', 'ports: [80,\t443]\n', [{ doc: 0, line: 1, value: { ports: [80, 443] } }]],
    ['a timestamp stays a string, as kubectl keeps it', 'date: 2024-01-01\n', [{ doc: 0, line: 1, value: { date: '2024-01-01' } }]],
    ['merge keys', 'base: &b {app: web}\nlabels:\n  <<: *b\n  tier: x\n', [{ doc: 0, line: 1, value: { base: { app: 'web' }, labels: { app: 'web', tier: 'x' } } }]],
    ['CRLF and BOM', '\ufeffa: 1\r\n---\r\nb: 2\r\n', [{ doc: 0, line: 1, value: { a: 1 } }, { doc: 1, line: 3, value: { b: 2 } }]],
    ['%YAML directive', '%YAML 1.2\n---\na: 1\n', [{ doc: 0, line: 3, value: { a: 1 } }]],
    ['`{{` inside a valid string outside templates/ is just text', 'a: "{{ x }}"\n', [{ doc: 0, line: 1, value: { a: '{{ x }}' } }]],
    ['an empty file', '', []],
    ['a comments-only file', '# nothing here\n', []],
    ['a null document', '---\n~\n---\na: 1\n', [{ doc: 1, line: 4, value: { a: 1 } }]],
  ])('%s', (_name, text, documents) => {
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.documents).toEqual(documents);
  });

  it('JSON files are read with JSON.parse, first line is that of the first character', () => {
    expect(parse('\n{"kind": "Pod"}\n', 'p.json')).toEqual({
      documents: [{ doc: 0, line: 2, value: { kind: 'Pod' } }],
      diagnostics: [],
      documentCount: 1,
    });
  });

  it('invalid JSON is read as YAML (as kubectl does) with a warning', () => {
    const r = parse('{\n  "a": 1,\n}\n', 'p.json');
    expect(r.documents).toEqual([{ doc: 0, line: 1, value: { a: 1 } }]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ file: 'p.json', line: 3, severity: 'warning' });
    expect(r.diagnostics[0]?.message).toMatch(/^not valid JSON \(.*\); read as YAML, as kubectl does$/);
  });
});

describe('parseFile: diagnostics', () => {
  it.each([
    [
      'YAML duplicate key: kubectl rejects the object',
      'a: 1\n---\nmetadata:\n  name: x\n  name: y\n',
      'm.yaml',
      [{ file: 'm.yaml', line: 5, severity: 'error', message: 'duplicate key "name": kubectl rejects an object with a repeated field; document skipped' }],
      1,
    ],
    [
      'quoted duplicate key',
      'labels:\n  "app": a\n  \'app\': b\n',
      'm.yaml',
      [{ file: 'm.yaml', line: 3, severity: 'error', message: 'duplicate key "app": kubectl rejects an object with a repeated field; document skipped' }],
      0,
    ],
    [
      'JSON duplicate key',
      '{"metadata": {"labels": {"a": "1"},\n "labels": {}}}',
      'p.json',
      [{ file: 'p.json', line: 2, severity: 'error', message: 'duplicate key "labels": kubectl rejects an object with a repeated field; document skipped' }],
      0,
    ],
    [
      'syntax error in the second document has its absolute line',
      'a: 1\n---\nb:\n  - x\n - y\n',
      'm.yaml',
      [{ file: 'm.yaml', line: 5, severity: 'error', message: 'YAML syntax error: bad indentation of a mapping entry; document skipped' }],
      1,
    ],
    [
      'unclosed flow collection is reported on the last line of its document',
      'a: [1,\n\n',
      'm.yaml',
      [{ file: 'm.yaml', line: 1, severity: 'error', message: 'YAML syntax error: unexpected end of the stream within a flow collection; document skipped' }],
      0,
    ],
    [
      'NUL bytes: one diagnostic for the file',
      'a: 1\nb: \u0000\u0001\n---\nc: \u0000\n',
      'm.yaml',
      [{ file: 'm.yaml', line: 2, severity: 'error', message: 'binary or non-UTF-8 content (NUL or invalid bytes); file skipped' }],
      0,
    ],
    [
      'invalid UTF-8 (decoded as U+FFFD)',
      'a: \uFFFD\n',
      'm.yaml',
      [{ file: 'm.yaml', line: 1, severity: 'error', message: 'binary or non-UTF-8 content (NUL or invalid bytes); file skipped' }],
      0,
    ],
    [
      'a template under templates/ is a Helm template, even when it would parse',
      'kind: NetworkPolicy\nmetadata:\n  name: "{{ .Release.Name }}"\n',
      'chart/templates/np.yaml',
      [{ file: 'chart/templates/np.yaml', line: 3, severity: 'warning', message: HELM_MESSAGE }],
      0,
    ],
    [
      'a file elsewhere that fails to parse and has {{ is a Helm template',
      'a: 1\n---\nspec:\n  {{- include "x" . | nindent 2 }}\n',
      'np.yaml',
      [{ file: 'np.yaml', line: 4, severity: 'warning', message: HELM_MESSAGE }],
      0,
    ],
  ])('%s', (_name, text, path, diagnostics, documentsKept) => {
    const r = parse(text, path);
    expect(r.diagnostics).toEqual(diagnostics);
    expect(r.documents).toHaveLength(documentsKept);
  });

  it('an alias bomb is dropped with a diagnostic instead of blowing up later walks', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(10).fill(`*${'abcdefgh'[i - 1]}`).join(', ')}]`);
    const r = parse(`x: 1\n---\n${levels.join('\n')}\n`);
    expect(r.documents).toHaveLength(1);
    expect(r.diagnostics).toEqual([
      { file: 'm.yaml', line: 3, severity: 'error', message: `document expands to more than ${MAX_NODES_WITH_ALIASES} nodes through YAML aliases; document skipped` },
    ]);
  });

  it('a self-referencing alias is dropped too (js-yaml builds a cycle)', () => {
    const r = parse('a: &x [*x]\n');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics[0]?.message).toMatch(/through YAML aliases; document skipped$/);
  });

  it('modest alias use is fine', () => {
    expect(parse('a: &x {k: v}\nb: *x\n').documents).toEqual([{ doc: 0, line: 1, value: { a: { k: 'v' }, b: { k: 'v' } } }]);
  });
});

describe('parseFile: documents are compacted after parsing (strings of their own, lists trimmed)', () => {
  it('gives the values js-yaml gives, the odd ones included', async () => {
    const { default: yaml } = await import('js-yaml');
    const { MANIFEST_SCHEMA } = await import('../../src/manifests/yamlSchema.js');
    const text = [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: a-rather-long-policy-name, labels: {app.kubernetes.io/name: "quoted value here"}}',
      'spec:',
      '  folded: >-',
      '    a long folded',
      '    scalar over lines',
      '  nested: [[1, 2.5, -0.0, .inf, .nan, null, true], [], ["x", "yyyyyyyyyyyyyyyyyy"]]',
      '  "__proto__": {polluted: a value long enough to be sliced}',
      '  empty: {}',
      '',
    ].join('\n');
    const value = parse(text, 'x.yaml').documents[0]!.value as Record<string, Record<string, unknown>>;
    expect(value).toEqual(yaml.load(text, { schema: MANIFEST_SCHEMA }));
    expect(Object.getPrototypeOf(value.spec)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value.spec, '__proto__')?.value).toEqual({ polluted: 'a value long enough to be sliced' });
    expect(Object.is((value.spec!.nested as unknown[][])[0]![2], -0)).toBe(true);
  });

  it('leaves documents with aliases as parsed (shared subtrees stay shared)', () => {
    const value = parse('a: &x [one-long-enough-string]\nb: *x\n').documents[0]!.value as { a: unknown; b: unknown };
    expect(value.b).toBe(value.a);
  });
});
