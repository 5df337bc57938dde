// The kind sniffer may only ever say what a full parse would say: every document it accepts must load
// with js-yaml to an object with the same kind, apiVersion, name and namespace; anything it is unsure of
// is left to the parser, so the parser's diagnostics stay.
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { generateTier, TIERS } from '../../src/bench/generate.js';
import { splitDocuments } from '../../src/manifests/splitDocuments.js';
import { entry, entryKeyRest, isModelledKind, MODELLED_KINDS, plain, sniffUnmodelled } from '../../src/manifests/sniffKind.js';
import { WORKLOAD_KINDS } from '../../src/manifests/podTemplate.js';
import { MANIFEST_SCHEMA } from '../../src/manifests/yamlSchema.js';

const agrees = (text: string): void => {
  const h = sniffUnmodelled(text);
  if (!h) return;
  const v = yaml.load(text, { schema: MANIFEST_SCHEMA }) as { kind: unknown; apiVersion: unknown; metadata: { name: unknown; namespace?: unknown } };
  expect({ kind: v.kind, apiVersion: v.apiVersion, name: v.metadata.name, namespace: v.metadata.namespace || undefined }).toEqual({
    kind: h.kind,
    apiVersion: h.apiVersion,
    name: h.name,
    namespace: h.namespace,
  });
};

describe('sniffUnmodelled', () => {
  it('reads the header of plain documents of unmodelled kinds', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web  # the front\n  namespace: "shop"\n  labels:\n    app: web\nspec:\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n  selector: {}\n';
    expect(sniffUnmodelled(svc)).toEqual({ apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'shop' });
    const cm = '---\n# config\nkind: ConfigMap\napiVersion: v1\nmetadata:\n  name: cfg\ndata:\n  a.properties: |\n    x=1\n\n    # not a comment\n    y: [\n  b: \'2\'\n';
    expect(sniffUnmodelled(cm)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg' });
    agrees(svc);
    agrees(cm);
  });

  it.each([
    ['a modelled kind', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n'],
    ['a list', 'apiVersion: v1\nkind: ServiceList\nitems: []\nmetadata:\n  name: a\n'],
    ['an unclosed flow sequence', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  key: [unclosed\n'],
    ['a duplicate key', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: 1\n  k: 2\n'],
    ['a duplicate top-level key', 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata:\n  name: a\n'],
    ['bad indentation', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n    k: 1\n  j: 2\n'],
    ['a multi-line plain scalar', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n    y\n'],
    ['a numeric name', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 0123\n'],
    ['a boolean name', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: true\n'],
    ['an anchor', 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: a\n'],
    ['a merge key', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: {name: a}\n'],
    ['a flow metadata', 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: ns}\n'],
    ['a tag', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: !!str a\n'],
    ['an escape', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "a\\u0041"\n'],
    ['no name', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    a: b\n'],
    ['no apiVersion', 'kind: ConfigMap\nmetadata:\n  name: a\n'],
    ['a tab', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n'],
    ['a mapping in a plain value', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: a: b\n'],
    ['a block scalar indented less than its first line', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: |\n      x\n    y\n'],
    ['a directive', '%YAML 1.2\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n'],
    ['content after the marker', '--- !x\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n'],
    ['a key at the wrong level of a sequence item', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n  - name: a\n     port: 1\n'],
  ])('leaves %s to the parser', (_name, text) => {
    expect(sniffUnmodelled(text)).toBeUndefined();
  });

  it('never sniffs a kind buildCluster models', () => {
    for (const kind of ['Namespace', 'NetworkPolicy', ...Object.keys(WORKLOAD_KINDS)]) expect(MODELLED_KINDS.has(kind)).toBe(true);
    expect(isModelledKind('PodList')).toBe(true);
  });

  it('agrees with js-yaml on every document of a generated cluster', () => {
    const tier = generateTier(TIERS.small!, 7);
    let sniffed = 0;
    for (const f of [...tier.base, ...tier.prs.flat()]) {
      for (const d of splitDocuments(f.text)) {
        if (sniffUnmodelled(d.text)) sniffed++;
        agrees(d.text);
      }
    }
    expect(sniffed).toBeGreaterThan(200); // Services, ServiceAccounts, ConfigMaps
  });

  it('agrees with js-yaml on mutated documents (whatever it accepts must load the same)', () => {
    const base = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    app: web\nspec:\n  ports:\n  - name: http\n    port: 80\n  selector:\n    app: web\n';
    const junk = [' ', '  ', '- ', ': ', '#', '"', "'", '[', ']', '{', '}', '|', '>', '&a ', '*a', '!', '\t', '\n', 'x', '---', '%', '?', ','];
    let seed = 1;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let i = 0; i < 20_000; i++) {
      let t = base;
      for (let k = 0; k < 1 + rnd(3); k++) {
        const at = rnd(t.length);
        t = rnd(2) ? t.slice(0, at) + junk[rnd(junk.length)] + t.slice(at) : t.slice(0, at) + t.slice(at + 1 + rnd(3));
      }
      const h = sniffUnmodelled(t);
      if (!h) continue;
      let v: unknown;
      expect(() => (v = yaml.load(t, { schema: MANIFEST_SCHEMA })), t).not.toThrow();
      const o = v as { kind: unknown; apiVersion: unknown; metadata: { name: unknown; namespace?: unknown } };
      expect([o.kind, o.apiVersion, o.metadata.name, o.metadata.namespace || undefined], t).toEqual([h.kind, h.apiVersion, h.name, h.namespace]);
    }
  });
});

describe('sniffUnmodelled: hand-written matchers equal the regexes they replace', () => {
  const ENTRY = /^([A-Za-z0-9_][\w.\/-]*):(?:$|[ ]+(.*)$)/;
  const PLAIN = /^(?:[^-?:,\[\]{}#&*!|>'"%@`\s]|-[^\s])(?:[^:#\t]|:(?=\S)|(?<=\S)#)*$/;
  // Characters each regex treats specially, and some it does not.
  const ALPHABET = ['a', 'Z', '0', '_', '.', '/', '-', ':', ' ', '#', '\t', '\r', '\u2028', '\u00a0', '\ufeff', '\u3000', '?', ',', '[', '{', '"', "'", '|', '>', '@', '%', '`', '!', '&', '*', 'é', '\u{1F600}', '=', '\v'];
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const samples = (): string[] => {
    const out = ['', 'a', 'a:', 'a: ', 'a:  b', 'a:b', '-', '-a', '- a', '-:', '-#', 'a #b', 'a#b', 'a:\tb', 'a: b\r', 'a\u2028: b', 'key.x/y-z: v: w'];
    for (let i = 0; i < 20000; i++) {
      let s = '';
      const n = rand(8);
      for (let k = 0; k < n; k++) s += ALPHABET[rand(ALPHABET.length)];
      out.push(s, `key${s}`, `a-b.c/d:${s}`, `x: ${s}`, `v${s}x`);
    }
    return out;
  };

  it('entry: `key:` or `key: rest`', () => {
    for (const s of samples()) {
      const m = ENTRY.exec(s);
      const got = entry(s) ? entryKeyRest() : undefined;
      expect(got, JSON.stringify(s)).toEqual(m ? [m[1], m[2] ?? ''] : undefined);
    }
  });

  it('plain: a plain scalar YAML gives no meaning to', () => {
    for (const s of samples()) expect(plain(s), JSON.stringify(s)).toBe(PLAIN.test(s));
  });

  it('finds a duplicate key however many keys a level holds', () => {
    for (const n of [1, 2, 15, 16, 17, 40]) {
      const keys = Array.from({ length: n }, (_, i) => `  k${i}: v`);
      const base = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n${keys.join('\n')}\n`;
      expect(sniffUnmodelled(base), `${n} keys`).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg' });
      for (const dup of [0, n - 1]) {
        expect(sniffUnmodelled(`${base}  k${dup}: again\n`), `${n} keys, k${dup} twice`).toBeUndefined();
        expect(() => yaml.load(`${base}  k${dup}: again\n`, { schema: MANIFEST_SCHEMA })).toThrow();
      }
      // The same keys in sibling items are no duplicates; in one item they are.
      const items = `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n${[0, 1].map(() => Array.from({ length: n }, (_, i) => `${i === 0 ? '  - ' : '    '}k${i}: v`).join('\n')).join('\n')}\n`;
      expect(sniffUnmodelled(items), `${n} keys per item`).toEqual({ apiVersion: 'v1', kind: 'Service', name: 's' });
      agrees(items);
      expect(sniffUnmodelled(`${items}    k${n - 1}: again\n`)).toBeUndefined();
    }
  });
});

describe('sniffUnmodelled: header fields are read at their place only', () => {
  it('a root key spelt `metadata.name` (dots are plain) is no metadata name', () => {
    const only = 'apiVersion: v1\nkind: ConfigMap\nmetadata.name: x\n';
    expect(sniffUnmodelled(only)).toBeUndefined();
    const after = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\nmetadata.name: x\nmetadata.namespace: y\n';
    expect(sniffUnmodelled(after)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a' });
    agrees(after);
    const nested = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    name: b\n    namespace: c\ndata:\n  kind: Secret\n  metadata:\n    name: d\n';
    expect(sniffUnmodelled(nested)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a' });
    agrees(nested);
  });

  it('indents of spaces, and of other white space, as before', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n    ports:\n    -   port: 80\n        name: http\n';
    expect(sniffUnmodelled(svc)).toEqual({ apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'shop' });
    agrees(svc);
    expect(sniffUnmodelled('apiVersion: v1\nkind: Service\nmetadata:\n \tname: web\n')).toBeUndefined();
    // js-yaml reads U+00A0 as text: `metadata` is null and `\u00a0 name` a root key; after a value it is the value's.
    expect(sniffUnmodelled('apiVersion: v1\nkind: Service\nmetadata:\n\u00a0 name: web\n')).toBeUndefined();
    expect(sniffUnmodelled('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\u00a0\n')).toBeUndefined();
    expect(sniffUnmodelled('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\r  namespace: x\n')).toBeUndefined();
    const crlf = 'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web\r\n  namespace: shop\r\n';
    expect(sniffUnmodelled(crlf)).toEqual({ apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'shop' });
    agrees(crlf);
    const blank = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n \t \n  namespace: shop\n';
    expect(sniffUnmodelled(blank)).toEqual({ apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'shop' });
    agrees(blank);
  });
});
