// fastLoad must return exactly what js-yaml returns, or undefined (fall back to js-yaml).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { fastLoad } from '../../src/manifests/fastYaml.js';
import { normaliseText, splitDocuments } from '../../src/manifests/splitDocuments.js';
import { MANIFEST_SCHEMA } from '../../src/manifests/yamlSchema.js';

type JsYaml = { ok: true; value: unknown } | { ok: false };

function jsYaml(text: string): JsYaml {
  try {
    return { ok: true, value: yaml.load(text, { schema: MANIFEST_SCHEMA }) };
  } catch {
    return { ok: false };
  }
}

/** When fastLoad gives a value, js-yaml gives the same (key order included); returns fastLoad's result. */
function expectAgrees(text: string): unknown {
  const fast = fastLoad(text);
  if (fast === undefined) return undefined;
  const ref = jsYaml(text);
  if (!ref.ok) throw new Error(`fastLoad read a document js-yaml rejects:\n${text}`);
  expect(fast).toStrictEqual(ref.value);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(ref.value));
  return fast;
}

describe('fastLoad: the subset', () => {
  it.each([
    ['mapping', 'a: 1\nb: x\n'],
    ['nested mapping', 'a:\n  b:\n    c: d\n  e: f\ng: h\n'],
    ['4-space indent', 'a:\n    b: 1\n    c:\n        d: 2\n'],
    ['kubectl sequence at the key indent', 'a:\n- x\n- y\nb: 1\n'],
    ['indented sequence', 'a:\n  - x\n  - y\nb: 1\n'],
    ['compact mappings in a sequence', 'c:\n- name: a\n  image: b\n  ports:\n  - containerPort: 80\n    protocol: TCP\n- name: c\n'],
    ['nested compact sequences', '- - a\n  - b\n- c\n'],
    ['more spaces after the dash', '-   a: 1\n    b: 2\n'],
    ['root sequence', '- 1\n- two\n'],
    ['root scalar', 'hello\n'],
    ['indented root', '  a: 1\n  b: 2\n'],
    ['leading --- and comments', '\n# c\n--- # start\n# c\na: 1 # trailing\n  # deeper comment\nb: 2\n'],
    ['empty value is null', 'a:\nb: 2\nc:\n'],
    ['value on the next line', 'a:\n  x\nb:\n  "y"\n'],
    ['plain scalars with indicators inside', 'a: b#c\nb: http://x:80/p?q=1&r=*\nc: -x\nd: ?x\ne: :x\nf: x]{,\ng: a - b\n'],
    ['single quotes', "a: 'it''s # not: a comment'\n'k: 1': ''\n"],
    ['double quotes', 'a: "x\\ty\\n\\"\\\\ \\u00e9\\x41\\U0001F600\\/\\_\\N\\L\\P\\0"\n"k": "true"\n'],
    ['empty flow collections', 'a: {}\nb: []\nc:\n- {}\n- []\n'],
    ['flow collections of scalars', "a: [Ingress, Egress]\nb: {app: web, 'x': \"1\", n: 1}\nc: [ 1 , 'two', \"3\" ]\n"],
    ['literal block scalars', 'a: |\n  line 1\n\n    more\n  line 3\nb: |-\n  x\nc: |+\n  y\n\nd: 1\n'],
    ['folded block scalars', 'a: >\n  one\n  two\n\n  three\n    indented\n  four\nb: >-\n  x\n  y\n'],
    ['block scalar indentation indicator', 'a: |2\n    two more\n  base\nb: |1-\n   x\n'],
    ['block scalar in a sequence', '- |\n  x\n  y\n- z\n'],
    ['block scalar at the end', 'a:\n  b: |\n    x\n'],
    ['keys are strings of resolved scalars', '80: a\n0x1F: b\ntrue: c\nnull: d\n1e3: f\n.inf: g\n-0: h\n1.0: i\nFALSE: j\n.NaN: k\n'],
    ['~ and True keys', '~: e\nTrue: j\n'],
    ['a comment before a colon ends a root scalar', 'a #c: b\n'],
    ['__proto__ key', '__proto__: {a: 1}\nb: 2\n'],
    ['toString key', 'toString: 1\nconstructor: 2\n'],
    ['non-ASCII', 'é: ü\nk: 日本\n'],
  ])('%s', (_name, text) => {
    expect(expectAgrees(text)).not.toBeUndefined();
  });

  it('resolves scalars as MANIFEST_SCHEMA does', () => {
    const scalars = [
      '~', 'null', 'Null', 'NULL', 'nUll', 'true', 'True', 'TRUE', 'tRue', 'false', 'False', 'FALSE', 'yes', 'no', 'on',
      'off', 'y', 'n', '0', '-0', '+0', '00', '-00', '0755', '0o17', '0o8', '0x1F', '0X1F', '-0x1f', '0x', '0b101', '0b2',
      '+1', '-1', '1_000', '1e3', '1E3', '1e+3', '1e-3', '1.5e3', '.5', '-.5', '+.5', '5.', '1.', '-1.5', '1e999', '-1e999',
      '.inf', '.Inf', '.INF', '-.inf', '+.inf', '.nan', '.NaN', '.NAN', '-.nan', '12345678901234567890123', '0x' + 'f'.repeat(300),
      '2024-01-01', '2024-01-01T00:00:00Z', '1:20', '0.0.0.0/0', '<<', '=', '-', '.', '+', '1 2', 'v1.2.3', '१२',
    ];
    for (const s of scalars) {
      for (const text of [`a: ${s}\n`, `- ${s}\n`, `a: [${s}]\n`, `a: {k: ${s}}\n`, `${s}: a\n`, `a: {${s}: a}\n`]) {
        const read = expectAgrees(text);
        // Where js-yaml reads it, so does fastLoad, but for a merge key and a `-` with nothing after it.
        const outside = text.startsWith('<<') || text.startsWith('a: {<<') || text === '- -\n';
        if (jsYaml(text).ok && !outside) expect(read, text).not.toBeUndefined();
      }
    }
  });

  it('gives null, not undefined, for ~ and an empty value', () => {
    expect(fastLoad('a: ~\nb:\n')).toStrictEqual({ a: null, b: null });
  });
});

describe('fastLoad: maps made at their size', () => {
  /** `n` fields k0..k(n-1), each on a line of its own with `indent`. */
  const fields = (n: number, indent = '') => Array.from({ length: n }, (_, i) => `${indent}k${i}: ${i}\n`).join('');

  it.each([0, 1, 2, 4, 5, 10, 11, 12, 30])('a map of %i fields reads as js-yaml reads it, a plain object', (n) => {
    const text = n === 0 ? 'a: {}\nb: [x]\n' : `a:\n${fields(n, '  ')}b: [x]\n`;
    const value = expectAgrees(text) as { a: object };
    expect(value).toBeDefined();
    expect(Object.getPrototypeOf(value.a)).toBe(Object.prototype);
    expect(Object.keys(value.a)).toHaveLength(n);
  });

  it.each([2, 3, 10, 11, 12])('gives up on a duplicate key in a map of %i fields', (n) => {
    expect(fastLoad(`${fields(n)}k0: again\n`)).toBeUndefined();
    expect(fastLoad(`x:\n${fields(n, '  ')}  k${n - 1}: again\n`)).toBeUndefined();
  });

  it('reads `__proto__` as an own field, and gives up on it twice', () => {
    const value = expectAgrees('a: 1\n__proto__: x\nb: 2\n') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['a', '__proto__', 'b']);
    expect(fastLoad('__proto__: x\n__proto__: y\n')).toBeUndefined();
  });

  it("keeps numeric keys in js-yaml's order", () => {
    expect(expectAgrees('b: 1\n2: x\na: 2\n1: y\n')).toBeDefined();
  });
});

describe('fastLoad: falls back outside the subset', () => {
  it.each([
    ['empty document', ''],
    ['comments only', '# x\n'],
    ['--- only', '---\n'],
    ['content after ---', '--- a: 1\n'],
    ['directive', '%YAML 1.2\n---\na: 1\n'],
    ['document end marker', 'a: 1\n...\n'],
    ['second document', 'a: 1\n---\nb: 1\n'],
    ['tab indentation', 'a:\n\tb: 1\n'],
    ['tab in a value', 'a: b\tc\n'],
    ['CR', 'a: 1\r\n'],
    ['control character', 'a: \u0001\n'],
    ['BOM', '\ufeffa: 1\n'],
    ['lone surrogate', 'a: \ud800\n'],
    ['anchor and alias', 'a: &x 1\nb: *x\n'],
    ['tag', 'a: !!str 1\n'],
    ['merge key', 'a: {x: 1}\nb:\n  <<: {x: 1}\n'],
    ['merge key in a flow mapping', 'a: {<<: {x: 1}}\n'],
    ['explicit key', '? a\n: b\n'],
    ['duplicate key', 'a: 1\na: 2\n'],
    ['duplicate key after resolution', '80: a\n0x50: b\n'],
    ['duplicate quoted key', 'a: 1\n"a": 2\n'],
    ['duplicate key in a flow mapping', 'a: {x: 1, x: 2}\n'],
    ['multi-line plain scalar', 'a: b\n  c\n'],
    ['multi-line plain scalar in a sequence', '- b\n  c\n'],
    ['multi-line single-quoted scalar', "a: 'b\n  c'\n"],
    ['multi-line double-quoted scalar', 'a: "b\n  c"\n'],
    ['escaped line break', 'a: "b\\\n  c"\n'],
    ['unknown escape', 'a: "\\q"\n'],
    ['bad hex escape', 'a: "\\x4"\n'],
    ['key: value: x', 'key: value: x\n'],
    ['value ending with a colon', 'a: b:\n'],
    ['dash item on the next line', '-\n  a: 1\n'],
    ['dash followed by a comment', '- # c\n  a: 1\n'],
    ['sequence after a scalar value', 'a: 1\n- x\n'],
    ['bad mapping indentation', 'a:\n  b: 1\n   c: 2\n'],
    ['less indented key', 'a:\n    b: 1\n  c: 2\n'],
    ['bad sequence indentation', '- a\n - b\n'],
    ['mapping after a sequence at root', '- a\nb: 1\n'],
    ['root scalar then more', 'a\nb: 1\n'],
    ['multi-line flow collection', 'a: [x,\n  y]\n'],
    ['nested flow collection', 'a: [[x]]\n'],
    ['pair in a flow sequence', 'a: [x: y]\n'],
    ['trailing comma', 'a: [x, y,]\n'],
    ['empty flow entry', 'a: [x, , y]\n'],
    ['comment in a flow collection', 'a: [x #c\n]\n'],
    ['flow mapping without a value', 'a: {x}\n'],
    ['something after a flow collection', 'a: [x] y\n'],
    ['comment right after a quote', 'a: "x"#c\n'],
    ['something after a quote', 'a: "x" y\n'],
    ['block scalar at the root', '|\n  x\n'],
    ['block scalar with text after the header', 'a: | x\n  y\n'],
    ['block scalar header without a space before #', 'a: |#c\n  y\n'],
    ['block scalar indentation 0', 'a: |0\n  y\n'],
    ['repeated chomping indicator', 'a: |-+\n  y\n'],
    ['block scalar then bad indentation', 'a: |\n  x\n # c\n  y\n'],
    ['empty key', ': a\n'],
    ['key with a comment before its colon', 'x: 1\na #c: b\n'],
    ['--- without a space', '---a: 1\n'],
    ['--- followed by a quote', '---"x"\n'],
    ['---- line', '----\n'],
    ['... first', '...\na: 1\n'],
    ['alias-like value', 'a: *b\n'],
    ['value starting with a reserved indicator', 'a: @x\n'],
    ['deep nesting', Array.from({ length: 120 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n'],
  ])('%s', (_name, text) => {
    expect(fastLoad(text)).toBeUndefined();
  });
});

// ---- Differential property test: random manifest-like trees in several YAML styles. ----

type Tree = { s: string } | { m: [string, Tree][] } | { q: Tree[] };

const TRICKY = [
  '0755', '1e3', '.5', '-.5', '+1', '-1', '0x1F', '0o17', '0b11', '1_000', '1.0', '-0', '.inf', '-.Inf', '.NaN', 'null', 'Null',
  '~', 'true', 'False', 'TRUE', 'tRUE', 'yes', 'on', 'off', '2024-01-01', '- -1', '-', '- x', '? x', ':x', ': x', 'a#b', 'a #b',
  'key: value: x', 'a: b', 'a:b', 'http://x:80/', '"a#b"', "'q'", 'x "y"', '[a, b]', '{a: b}', '[]', '{}', '&a', '*a', '!t', '|',
  '>', '%x', '@x', '`x', ' lead', 'trail ', '', ' ', 'é', 'a\tb', '<<', '__proto__', '---', '...', 'a\\b', "it's", 'x,y', 'x]',
  '#', 'a:', 'k:v', '80', 'line 1\nline 2', 'a\n\nb\n', '  indented\nnot\n', 'trailing\n\n', '\nleading',
];
const WORDS = ['name', 'app', 'web', 'kind', 'spec', 'ports', 'TCP', 'Ingress', 'nginx:1.25', 'app.kubernetes.io/name', 'x y'];

const scalarArb = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.constantFrom(...WORDS),
  fc.string({ unit: fc.constantFrom('a', 'b', '1', '0', ' ', ':', '#', '-', "'", '"', '\\', '.', ',', '[', '{', '\n', 'é'), maxLength: 8 }),
  fc.integer().map(String),
  fc.double({ noNaN: true }).map(String),
);
const keyArb = fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...TRICKY.filter((s) => !s.includes('\n'))), scalarArb.map((s) => s.replace(/\n/g, '')));

const treeArb = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb.map((s) => ({ s })),
    fc.array(fc.tuple(keyArb, tie('tree')), { maxLength: 4 }).map((m) => ({ m })),
    fc.array(tie('tree'), { maxLength: 4 }).map((q) => ({ q })),
  ),
})).tree;

/** A small deterministic PRNG: the serializer's style choices. */
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

function doubleQuote(s: string, r: (n: number) => number): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += r(2) ? '\\t' : '\\x09';
    else if (ch.charCodeAt(0) > 127 && r(2)) out += '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** One line's rendering of a scalar: plain (possibly not what was meant: that is the point), or quoted. */
function inlineScalar(s: string, r: (n: number) => number): string {
  const style = r(5);
  if (style <= 1 && !s.includes('\n')) return s;
  if (style === 2 && !s.includes('\n')) return `'${s.replace(/'/g, "''")}'`;
  return doubleQuote(s, r);
}

function comment(r: (n: number) => number): string {
  return r(8) === 0 ? ' # c' + (r(2) ? ': x' : '') : '';
}

/** Lines of `t` at `indent`; `step` is the indentation step, `kubectl` puts sequences at their key's indent. */
function emit(t: Tree, indent: number, r: (n: number) => number, step: number, kubectl: boolean): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  const maybeComment = () => {
    const k = r(20);
    if (k === 0) lines.push(' '.repeat(r(indent + 3)) + '# full-line comment');
    else if (k === 1) lines.push('');
  };
  if ('s' in t) return [pad + inlineScalar(t.s, r) + comment(r)];
  if ('m' in t) {
    if (t.m.length === 0) return [pad + '{}'];
    for (const [k, v] of t.m) {
      maybeComment();
      const key = inlineScalar(k.replace(/\n/g, ''), r);
      lines.push(...emitValue(pad + key + ':', v, indent, r, step, kubectl));
    }
    return lines;
  }
  if (t.q.length === 0) return [pad + '[]'];
  for (const item of t.q) {
    maybeComment();
    if ('s' in item || (('m' in item ? item.m : item.q).length === 0)) {
      const sub = emitValue(pad + '-', item, indent, r, step, kubectl);
      lines.push(...sub);
      continue;
    }
    // Compact: the item's first line goes after the dash.
    const gap = 1 + r(3);
    const sub = emit(item, indent + 1 + gap, r, step, kubectl);
    const first = sub[0] ?? '';
    sub[0] = pad + '-' + ' '.repeat(gap) + first.trimStart();
    lines.push(...sub);
  }
  return lines;
}

/** `head` (`key:` or `-`) followed by the value `v`. */
function emitValue(head: string, v: Tree, indent: number, r: (n: number) => number, step: number, kubectl: boolean): string[] {
  if ('s' in v) {
    if (v.s.includes('\n') && r(3) > 0) {
      const header = ['|', '|-', '|+', '>', '>-', '>+'][r(6)] ?? '|';
      const body = v.s.split('\n').map((l) => (l === '' ? '' : ' '.repeat(indent + step) + l));
      return [`${head} ${header}${comment(r)}`, ...body];
    }
    if (r(10) === 0) return [head, ' '.repeat(indent + step) + inlineScalar(v.s, r)]; // on the next line
    return [`${head} ${inlineScalar(v.s, r)}${comment(r)}`];
  }
  const items = 'm' in v ? v.m.map(([, x]) => x) : v.q;
  if (items.every((x) => 's' in x && !x.s.includes('\n')) && (items.length === 0 || r(3) === 0)) {
    const flow =
      'm' in v
        ? `{${v.m.map(([k, x]) => `${inlineScalar(k, r)}: ${inlineScalar((x as { s: string }).s, r)}`).join(', ')}}`
        : `[${v.q.map((x) => inlineScalar((x as { s: string }).s, r)).join(r(2) ? ', ' : ',')}]`;
    return [`${head} ${flow}${comment(r)}`];
  }
  const childIndent = 'q' in v && kubectl && head.trimStart() !== '-' ? indent : indent + step;
  return [head + comment(r), ...emit(v, childIndent, r, step, kubectl)];
}

function serialize(t: Tree, seed: number): string {
  const r = rng(seed);
  const step = [2, 2, 4, 3][r(4)] ?? 2;
  const prefix = ['', '', '---\n', '# header\n---\n', '\n--- # c\n'][r(5)] ?? '';
  return prefix + emit(t, 0, r, step, r(3) > 0).join('\n') + '\n';
}

/** A small edit that often makes the text invalid or means something else. */
function mutate(text: string, pos: number, kind: number): string {
  const i = pos % (text.length + 1);
  const insert = [' ', '  ', '-', ':', '#', "'", '"', '\t', '[', '{', '|', '>', '&', '*', '!', '\n', '- ', ': ', ' #'];
  if (kind < insert.length) return text.slice(0, i) + insert[kind] + text.slice(i);
  if (kind === insert.length) return text.slice(0, i) + text.slice(i + 1);
  const lines = text.split('\n');
  const l = pos % lines.length;
  lines[l] = ' ' + (lines[l] ?? '');
  return lines.join('\n');
}

describe('fastLoad: differential test against js-yaml', () => {
  it('agrees with js-yaml on random manifest-like documents in several styles', () => {
    let values = 0;
    let runs = 0;
    fc.assert(
      fc.property(treeArb, fc.nat(), (tree, seed) => {
        const text = serialize(tree, seed);
        runs++;
        if (expectAgrees(text) !== undefined) values++;
      }),
      { numRuns: 1500 },
    );
    expect(values).toBeGreaterThan(runs / 4); // the subset is most of what is generated
  });

  it('never reads a mutated document otherwise than js-yaml', () => {
    fc.assert(
      fc.property(treeArb, fc.nat(), fc.nat(), fc.nat({ max: 20 }), (tree, seed, pos, kind) => {
        expectAgrees(mutate(serialize(tree, seed), pos, kind));
      }),
      { numRuns: 1500 },
    );
  });

  it('reads kubectl-style manifests without falling back', () => {
    const doc = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  labels:', '    app.kubernetes.io/name: web',
      '  annotations:', '    prometheus.io/scrape: "true"', 'spec:', '  replicas: 3', '  template:', '    spec:', '      containers:',
      '      - name: web', '        image: nginx:1.25', '        args: ["--port", "8080"]', '        ports:', '        - containerPort: 8080',
      '          protocol: TCP', '        resources: {}', '      volumes:', '      - name: c', '        emptyDir: {}', '',
    ].join('\n');
    expect(expectAgrees(doc)).toBeDefined();
  });
});

// ---- Real files: every document gives js-yaml's value. ----

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

function checkFiles(files: string[]): { docs: number; fallbacks: number } {
  let docs = 0;
  let fallbacks = 0;
  for (const f of files) {
    for (const part of splitDocuments(normaliseText(readFileSync(f, 'utf8')))) {
      docs++;
      if (expectAgrees(part.text) === undefined) fallbacks++;
    }
  }
  return { docs, fallbacks };
}

describe('fastLoad on real files', () => {
  it('the repository fixtures/ and examples/ read as with js-yaml', () => {
    const { docs, fallbacks } = checkFiles([...yamlFiles('fixtures'), ...yamlFiles('examples')]);
    expect(docs).toBeGreaterThan(40);
    expect(fallbacks).toBeLessThan(docs / 5); // Helm templates and broken files
  });

  const medium = join('.bench', 'medium', 'base');
  it.skipIf(!existsSync(medium))('every document of the medium bench tier reads as with js-yaml, no fallback (skipped without .bench/, as in CI)', () => {
    const { docs, fallbacks } = checkFiles(yamlFiles(medium));
    expect(docs).toBeGreaterThan(1000);
    expect(fallbacks).toBe(0);
  });
});
