import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeAll, readManifestFiles, STDIN_PATH, TwinTexts } from '../../src/manifests/readFiles.js';

let root = '';
let cwd = '';
beforeAll(() => {
  cwd = process.cwd();
  root = mkdtempSync(join(tmpdir(), 'netpol-read-'));
  const files: Record<string, string> = {
    'k8s/b.yaml': 'b',
    'k8s/a.yml': 'a',
    'k8s/c.JSON': 'c',
    'k8s/readme.md': 'no',
    'k8s/sub/d.yaml': 'd',
    'k8s/node_modules/x.yaml': 'no',
    'k8s/.git/config.yaml': 'no',
    'k8s/.hidden/y.yaml': 'no',
    'empty/notes.txt': 'no',
    'single.txt': 'given explicitly',
  };
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), t);
  }
  process.chdir(root);
});
afterAll(() => {
  process.chdir(cwd);
  rmSync(root, { recursive: true, force: true });
});

describe('readManifestFiles', () => {
  it('walks directories recursively in sorted order, keeping the user spelling, skipping node_modules and dot-dirs', async () => {
    const r = await readManifestFiles(['./k8s/']);
    expect(r.files).toEqual([
      { path: './k8s/a.yml', text: 'a' },
      { path: './k8s/b.yaml', text: 'b' },
      { path: './k8s/c.JSON', text: 'c' },
      { path: './k8s/sub/d.yaml', text: 'd' },
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('reads a file named explicitly whatever its extension', async () => {
    expect((await readManifestFiles(['single.txt'])).files).toEqual([{ path: 'single.txt', text: 'given explicitly' }]);
  });

  it('an unreadable path is a diagnostic, not a throw, and the others are still read', async () => {
    const r = await readManifestFiles(['missing.yaml', 'k8s/sub']);
    expect(r.files.map((f) => f.path)).toEqual(['k8s/sub/d.yaml']);
    expect(r.diagnostics).toEqual([{ file: 'missing.yaml', line: 1, severity: 'error', message: 'cannot read: no such file or directory' }]);
  });

  it('a directory without manifests gives a warning', async () => {
    expect((await readManifestFiles(['empty'])).diagnostics).toEqual([
      { file: 'empty', line: 1, severity: 'warning', message: 'no .yaml, .yml or .json file in this directory' },
    ]);
  });

  it('`-` reads standard input', async () => {
    const r = await readManifestFiles(['-'], { readStdin: async () => 'kind: Pod\n' });
    expect(r.files).toEqual([{ path: STDIN_PATH, text: 'kind: Pod\n' }]);
  });

  it('invalid UTF-8 is decoded with U+FFFD (parseFile reports it), not thrown', async () => {
    writeFileSync(join(root, 'bin.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xff, 0x0a]));
    expect((await readManifestFiles(['bin.yaml'])).files[0]?.text).toBe('a: \uFFFD\n');
  });
});

describe('TwinTexts: two checkouts read one after the other', () => {
  it('a file equal to the one of the same name read before takes its text; others are read as they are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-twin-'));
    try {
      const write = (p: string, t: string | Buffer) => {
        mkdirSync(join(dir, p, '..'), { recursive: true });
        writeFileSync(join(dir, p), t);
      };
      write('a/same.yaml', 'kind: A\n');
      write('b/same.yaml', 'kind: A\n');
      write('a/edited.yaml', 'kind: B\n');
      write('b/edited.yaml', 'kind: C\n');
      write('b/new.yaml', 'kind: D\n');
      // Invalid UTF-8 decodes alike (U+FFFD) whether shared or not.
      write('a/bad.yaml', Buffer.from([0x61, 0xff, 0x0a]));
      write('b/bad.yaml', Buffer.from([0x61, 0xff, 0x0a]));
      const twin = new TwinTexts();
      const side = (s: string) => readManifestFiles([join(dir, s)], { readText: twin.reader((p) => p.slice(join(dir, s).length + 1)) });
      const a = await side('a');
      const b = await side('b');
      const text = (r: typeof a, name: string) => r.files.find((f) => f.path.endsWith(`/${name}`))!.text;
      expect(b.files.map((f) => [f.path.slice(dir.length), f.text])).toEqual([
        ['/b/bad.yaml', 'a\ufffd\n'],
        ['/b/edited.yaml', 'kind: C\n'],
        ['/b/new.yaml', 'kind: D\n'],
        ['/b/same.yaml', 'kind: A\n'],
      ]);
      expect(text(a, 'edited.yaml')).toBe('kind: B\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('decodeAll: files decoded a chunk at a time', () => {
  const one = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  it('gives each file the text a decode of its own bytes gives (ASCII, UTF-8, BOM, invalid, empty, unreadable)', () => {
    const file = fc.oneof(
      fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((t) => Buffer.from(t, 'latin1')),
      fc.string({ unit: 'binary', maxLength: 20 }).map((t) => Buffer.from(t, 'utf8')),
      fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)),
      fc.string({ maxLength: 10 }).map((t) => Buffer.from(`\ufeff${t}`, 'utf8')),
      fc.constant({ error: new Error('EACCES') }),
    );
    fc.assert(
      fc.property(fc.array(file, { maxLength: 30 }), (files) => {
        const out = decodeAll(files);
        expect(out).toEqual(files.map((b) => (Buffer.isBuffer(b) ? one.decode(b) : b)));
      }),
    );
  });

  it('cuts ASCII files out of strings of a few MB', () => {
    const files = Array.from({ length: 700 }, (_, i) => Buffer.from(`kind: ConfigMap\nmetadata: {name: c${i}}\n${'x'.repeat(12_000 + i)}\n`));
    const out = decodeAll(files);
    out.forEach((t, i) => expect(t).toBe(files[i]!.toString('utf8')));
  });
});

describe('TwinTexts: a directory read at once', () => {
  it('gives what reading file by file gives, equal files taking the first side\'s text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-twin-many-'));
    try {
      const write = (p: string, t: string | Buffer) => {
        mkdirSync(join(dir, p, '..'), { recursive: true });
        writeFileSync(join(dir, p), t);
      };
      for (const s of ['a', 'b']) {
        write(`${s}/same.yaml`, 'kind: Same\n' + 'y'.repeat(100));
        write(`${s}/accent.yaml`, 'name: caf\u00e9\n');
        write(`${s}/edited.yaml`, `kind: ${s}\n`);
      }
      write('b/new.yaml', 'kind: D\n');
      const twin = new TwinTexts();
      const named = (s: string) => (p: string) => p.slice(join(dir, s).length + 1);
      const a = await readManifestFiles([join(dir, 'a')], { readText: twin.reader(named('a')) });
      const b = await readManifestFiles([join(dir, 'b')], { readText: twin.reader(named('b')) });
      const plain = await readManifestFiles([join(dir, 'b')]);
      expect(b).toEqual(plain);
      expect(b.files.map((f) => f.text)).toEqual(['name: caf\u00e9\n', 'kind: b\n', 'kind: D\n', 'kind: Same\n' + 'y'.repeat(100)]);
      expect(a.files.map((f) => f.text)[2]).toBe('kind: Same\n' + 'y'.repeat(100));
      // The one-file reader still answers from the texts the directory read kept.
      expect(twin.reader(named('b'))(join(dir, 'b/same.yaml'))).toBe(b.files[3]!.text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
