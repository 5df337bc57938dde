import { describe, expect, it } from 'vitest';
import { splitDocuments } from '../../src/manifests/splitDocuments.js';

const lines = (s: string) => splitDocuments(s).map((d) => ({ line: d.line, textLine: d.textLine, text: d.text }));

describe('splitDocuments', () => {
  it.each([
    ['one document', 'a: 1\n', [{ line: 1, textLine: 1, text: 'a: 1\n' }]],
    ['two documents', 'a: 1\n---\nb: 2\n', [{ line: 1, textLine: 1, text: 'a: 1\n' }, { line: 3, textLine: 2, text: '---\nb: 2\n' }]],
    ['leading marker and comments', '# hi\n---\n# c\nkind: A\n', [{ line: 4, textLine: 1, text: '\n---\n# c\nkind: A\n' }]],
    ['content after ---', '--- {b: 1}\n', [{ line: 1, textLine: 1, text: '--- {b: 1}\n' }]],
    ['--- followed by a comment only', '--- # x\na: 1\n', [{ line: 2, textLine: 1, text: '--- # x\na: 1\n' }]],
    ['... ends a document', 'a: 1\n...\nb: 2\n', [{ line: 1, textLine: 1, text: 'a: 1\n' }, { line: 3, textLine: 3, text: 'b: 2\n' }]],
    ['%YAML directive goes with its document', 'a: 1\n...\n%YAML 1.2\n---\nb: 2\n', [{ line: 1, textLine: 1, text: 'a: 1\n' }, { line: 5, textLine: 3, text: '%YAML 1.2\n---\nb: 2\n' }]],
    ['comment-only documents are dropped', '---\n# only\n---\n---\nx: 1\n', [{ line: 5, textLine: 1, text: '\n\n\n---\nx: 1\n' }]],
    ['BOM and CRLF', '\ufeffa: 1\r\n---\r\nb: 2\r\n', [{ line: 1, textLine: 1, text: 'a: 1\n' }, { line: 3, textLine: 2, text: '---\nb: 2\n' }]],
    ['--- at column 0 inside a block scalar still splits', 'a: |\n  x\n---\nb: 2\n', [{ line: 1, textLine: 1, text: 'a: |\n  x\n' }, { line: 4, textLine: 3, text: '---\nb: 2\n' }]],
    ['indented --- is content', 'a: |\n  ---\n', [{ line: 1, textLine: 1, text: 'a: |\n  ---\n' }]],
    ['empty file', '', []],
    ['only comments', '# nothing\n\n', []],
  ])('%s', (_name, input, expected) => {
    expect(lines(input)).toEqual(expected);
  });

  it('numbers the non-empty documents', () => {
    expect(splitDocuments('---\n---\na: 1\n---\nb: 1\n').map((d) => d.index)).toEqual([0, 1]);
  });
});
