// Lines of fields come from the fast reader's positions for documents in its subset, and from `yaml`
// otherwise: for every field and list item of every document in the repository's fixtures and examples (and
// the medium bench tier when it was generated), plus paths that go past the end, both give the same line.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fastPositions } from '../../src/manifests/fastYaml.js';
import { lineOf, setFastPositions } from '../../src/manifests/locate.js';
import type { DocPath, SourceRef } from '../../src/manifests/model.js';
import { parseFile } from '../../src/manifests/parseFile.js';
import { splitDocuments } from '../../src/manifests/splitDocuments.js';

function yamlFiles(dir: string, limit = Infinity): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      if (out.length >= limit) return;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Every path into a value, and one that goes past each leaf. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...pathsOf(v, [...prefix, i])));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...pathsOf(v, [...prefix, k]));
  } else out.push([...prefix, 'missing'], [...prefix, 0]);
  return out;
}

function compare(files: string[], eachAlone = false): { documents: number; fast: number } {
  let documents = 0;
  let fast = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const texts = new Map([[file, text]]);
    for (const d of parseFile({ path: file, text }, { cache: null }).documents) {
      if (d.sniffed) continue;
      documents++;
      const source: SourceRef = { file, line: d.line, doc: d.doc, path: [] };
      const paths = pathsOf(d.value) as DocPath[];
      setFastPositions(true);
      const withFast = paths.map((p) => lineOf(texts, source, p));
      setFastPositions(false);
      const withYaml = paths.map((p) => lineOf(texts, source, p));
      expect(withFast, `${file} document ${d.doc}`).toEqual(withYaml);
      if (eachAlone) {
        // Each path as a document's first lookup, which reads only that path's positions.
        const alone = paths.map((p) => {
          setFastPositions(true);
          return lineOf(texts, source, p);
        });
        expect(alone, `${file} document ${d.doc}, each path alone`).toEqual(withYaml);
      }
      const part = splitDocuments(text).find((x) => x.index === d.doc);
      if (part && fastPositions(part.text) !== undefined) fast++;
    }
  }
  return { documents, fast };
}

describe('lines from the fast reader equal lines from yaml', () => {
  afterAll(() => setFastPositions(true));

  it('every field and item of the fixtures and examples', () => {
    const { documents, fast } = compare([...yamlFiles('fixtures'), ...yamlFiles('examples')], true);
    expect(documents).toBeGreaterThan(40);
    // Most documents take the fast path (the rest: templates, broken files, anchors).
    expect(fast).toBeGreaterThan(documents / 2);
  });

  it.skipIf(!existsSync('.bench/medium/base'))('every field and item of 150 medium bench files (skipped where .bench was not generated, as in CI)', () => {
    const { documents, fast } = compare(yamlFiles('.bench/medium/base', 150));
    expect(documents).toBeGreaterThan(1000);
    expect(fast).toBe(documents);
  });
});

describe('fastPositions for one path', () => {
  it('records that path and its ancestors, at the offsets of the whole reading', () => {
    const text = 'kind: NetworkPolicy\nspec:\n  podSelector: {}\n  egress:\n    - to:\n        - podSelector: {}\n      ports:\n        - port: http\n        - port: dns\n';
    const all = fastPositions(text)!;
    const want = ['spec', 'egress', '0', 'ports', '1'];
    const only = fastPositions(text, want)!;
    const joined = want.map((_, i) => want.slice(0, i + 1).join('\u0001'));
    expect([...only.keys()]).toEqual(joined);
    for (const k of joined) expect(only.get(k)).toBe(all.get(k));
    // A path that leaves the document: its existing ancestors only.
    expect([...fastPositions(text, ['spec', 'ingress', '0'])!.keys()]).toEqual(['spec']);
    expect(fastPositions('a: [b\n', ['a'])).toBeUndefined();
  });
});
