import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeBlock, codeSpan, escapeMarkdown, tableCodeSpan } from '../../src/render/escapeMarkdown.js';

describe('escapeMarkdown', () => {
  it.each([
    ['plain words', 'plain words'],
    ['`code`', '\\`code\\`'],
    ['**bold** _it_', '\\*\\*bold\\*\\* \\_it\\_'],
    ['@octocat', '@\u200Boctocat'],
    ['@org/team', '@\u200Borg/team'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert\\(1\\)&lt;/script&gt;'],
    ['<!-- netpol-bot:comment -->', '&lt;\\!\\-\\- netpol\\-bot:comment \\-\\-&gt;'],
    ['a & b', 'a &amp; b'],
    ['&lt;', '&amp;lt;'],
    ['#123', '\\#123'],
    ['[x](javascript:alert(1))', '\\[x\\]\\(javascript:alert\\(1\\)\\)'],
    ['https://evil.example', 'https:\u200B//evil\\.example'],
    ['a|b', 'a\\|b'],
    ['line1\nline2\r\nline3', 'line1 line2 line3'],
    ['back\\slash', 'back\\\\slash'],
    ['~~strike~~', '\\~\\~strike\\~\\~'],
    ['bell\u0007 rtl\u202E', 'bell rtl'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('never leaves HTML, a hidden comment, a mention, a backtick or a newline (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), (s) => {
        const out = escapeMarkdown(s);
        expect(out).not.toMatch(/<|>/);
        expect(out).not.toMatch(/\n|\r/);
        expect(out).not.toMatch(/(^|[^\\])`/);
        expect(out).not.toMatch(/@[A-Za-z0-9]/);
      }),
    );
  });
});

describe('codeSpan', () => {
  it.each([
    ['ns/app', '`ns/app`'],
    ['a`b', '``a`b``'],
    ['``x', '``` ``x ```'],
    ['x`', '`` x` ``'],
    ['', '` `'],
    ['two\nlines', '`two lines`'],
    ['@octocat <!-- x -->', '`@octocat <!-- x -->`'],
  ])('%j -> %j', (input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });

  it('a fence is always longer than any backtick run inside (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (s) => {
        const out = codeSpan(s);
        const fence = /^`+/.exec(out)![0];
        expect(out.endsWith(fence)).toBe(true);
        const inner = out.slice(fence.length, out.length - fence.length);
        for (const run of inner.match(/`+/g) ?? []) expect(run.length).not.toBe(fence.length);
        expect(out).not.toMatch(/\n/);
      }),
    );
  });

  it('tableCodeSpan escapes pipes', () => {
    expect(tableCodeSpan('a|b')).toBe('`a\\|b`');
  });
});

describe('codeBlock', () => {
  it('uses a fence longer than the text contains', () => {
    expect(codeBlock('x\n```\ny')).toBe('````\nx\n```\ny\n````');
    expect(codeBlock('error', 'text')).toBe('```text\nerror\n```');
  });
});
