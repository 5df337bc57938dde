// Reads the manifest files named on a command line: files, directories (recursively) and `-` for stdin.
import { isAscii } from 'node:buffer';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Diagnostic, ManifestFile } from './model.js';

export interface ReadOptions {
  /** Reads standard input for `-`; defaults to process.stdin. Injected by tests. */
  readonly readStdin?: () => Promise<string>;
  /**
   * Reads a file's text (default: as UTF-8, see readText); e.g. TwinTexts.reader. May throw, as reading does.
   * A ManyReader also reads a directory's files at once.
   */
  readonly readText?: ((path: string) => string) | ManyReader;
  /**
   * File names (any extension) whose regular files the directory walk lists in `marked`: what rendering
   * looks for (`Kustomization`, `Chart.yaml`...), found without walking the directories again.
   */
  readonly markers?: ReadonlySet<string>;
}

/** The path shown for standard input. */
export const STDIN_PATH = '<stdin>';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * Reads every path. Directories are walked recursively in sorted order, keeping `.yaml`, `.yml` and
 * `.json` files and skipping node_modules and dot-directories (.git, .github, ...); a file named explicitly
 * is read whatever its extension. Paths keep the form the user gave (`./k8s/a.yaml` stays so). A path that
 * cannot be read gives an error diagnostic, never a throw, so one typo does not hide the other results.
 */
export async function readManifestFiles(
  paths: string[],
  opts: ReadOptions = {},
): Promise<{ files: ManifestFile[]; diagnostics: Diagnostic[]; marked: string[] }> {
  const files: ManifestFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const marked: string[] = [];
  const read = opts.readText ?? readText;
  const fail = (file: string, message: string): void => {
    diagnostics.push({ file, line: 1, severity: 'error', message });
  };
  for (const given of paths) {
    if (given === '-') {
      files.push({ path: STDIN_PATH, text: await (opts.readStdin ?? readProcessStdin)() });
      continue;
    }
    try {
      if (statSync(given).isDirectory()) {
        const found = walk(given, fail, opts.markers, marked);
        if (found.length === 0) {
          diagnostics.push({ file: given, line: 1, severity: 'warning', message: 'no .yaml, .yml or .json file in this directory' });
        }
        const many = opts.readText === undefined ? readTexts : 'many' in opts.readText ? opts.readText.many : undefined;
        if (many !== undefined) {
          const texts = many(found);
          found.forEach((p, k) => {
            const t = texts[k]!;
            if (typeof t === 'string') files.push({ path: p, text: t });
            else fail(p, `cannot read: ${reason(t.error)}`);
          });
        } else {
          for (const p of found) {
            try {
              files.push({ path: p, text: read(p) });
            } catch (e) {
              fail(p, `cannot read: ${reason(e)}`);
            }
          }
        }
      } else {
        files.push({ path: given, text: read(given) });
      }
    } catch (e) {
      fail(given, `cannot read: ${reason(e)}`);
    }
  }
  return { files, diagnostics, marked };
}

// Synchronous on purpose: the CLI has nothing else to do meanwhile, and a sync read of a small file costs far
// less than the thread pool's open/read/close round trips. Medium bench (3,432 files, 37 MB, both sides):
// ~100 ms of CPU and ~120-140 ms wall, against ~450 ms of CPU and ~460-540 ms wall with async reads 32 at a
// time, whose pool threads compete for the same cores as the parse.
function walk(dir: string, fail: (file: string, message: string) => void, markers: ReadonlySet<string> | undefined, marked: string[]): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    fail(dir, `cannot read: ${reason(e)}`);
    return [];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    // Keep the user's spelling of the directory (`./k8s/`), only joining with a single slash.
    const p = dir.endsWith('/') ? dir + entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      out.push(...walk(p, fail, markers, marked));
    } else {
      if ((entry.isFile() || entry.isSymbolicLink()) && MANIFEST_FILE.test(entry.name)) out.push(p);
      if (markers?.has(entry.name) && entry.isFile()) marked.push(p);
    }
  }
  return out;
}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Stands for a file not to decode (decodeAll decodes nothing for it). */
const EMPTY = Buffer.alloc(0);

/** Decodes as UTF-8 without throwing: invalid bytes become U+FFFD, which parseFile reports. */
function readText(p: string): string {
  return decoder.decode(readFileSync(p));
}

/** A file's text, or why it could not be read. */
export type ReadResult = string | { readonly error: unknown };

/** A reader that also reads a directory's files at once (readManifestFiles then decodes them in chunks). */
export interface ManyReader {
  (path: string): string;
  readonly many: (paths: readonly string[]) => ReadResult[];
}

function readBytes(p: string): Buffer | { readonly error: unknown } {
  try {
    return readFileSync(p);
  } catch (error) {
    return { error };
  }
}

/** Every path's text, read as readText reads one (see decodeAll). */
function readTexts(paths: readonly string[]): ReadResult[] {
  return decodeAll(paths.map(readBytes));
}

/** ASCII files are decoded together in strings of about this many characters (see decodeAll). */
const CHUNK_CHARS = 4 * 1024 * 1024;

/**
 * Decodes files as readText does, but ASCII files (nearly all manifests) a few MB at a time: each file's
 * text is then a slice of one big string. A file's own string (11 KB on average at the medium bench tier)
 * is born in the young generation and copied by the next scavenges until promoted, 19 MB per side at the
 * medium tier; a big one is allocated outside the young generation (Node makes a string of over ~1 MB
 * external) and never copied, and its slices are small. The texts are kept as long as the cluster is, so
 * a chunk pins nothing that would be freed. For ASCII bytes, latin1 decoding is UTF-8 decoding.
 */
export function decodeAll(bytes: readonly (Buffer | { readonly error: unknown })[]): ReadResult[] {
  const out = new Array<ReadResult>(bytes.length);
  let group: number[] = [];
  let size = 0;
  const flush = (): void => {
    if (group.length === 1) out[group[0]!] = decoder.decode(bytes[group[0]!] as Buffer);
    else if (group.length > 1) {
      const whole = Buffer.concat(group.map((i) => bytes[i] as Buffer), size).toString('latin1');
      let at = 0;
      for (const i of group) {
        const n = (bytes[i] as Buffer).length;
        out[i] = whole.slice(at, at + n);
        at += n;
      }
    }
    group = [];
    size = 0;
  };
  bytes.forEach((b, i) => {
    if (!Buffer.isBuffer(b)) out[i] = b;
    else if (b.length === 0) out[i] = '';
    else if (!isAscii(b)) out[i] = decoder.decode(b);
    else {
      group.push(i);
      size += b.length;
      if (size >= CHUNK_CHARS) flush();
    }
  });
  flush();
  return out;
}

/**
 * Two checkouts read one after the other (`netpol diff --base DIR --head DIR`): a file whose bytes equal the
 * file of the same name read before takes that file's text, the same string. Nearly every file of a pull
 * request is so: its head is neither decoded nor kept a second time (19 MB of strings at the medium bench
 * tier, copied by every scavenge until promoted), and later comparisons of the two sides' texts (see
 * fileMatch.ts) find the same string at once.
 */
export class TwinTexts {
  /** The first file read under each name: its bytes, to compare, and its text. */
  readonly #first = new Map<string, { readonly bytes: Buffer; readonly text: string }>();

  /** A reader for ReadOptions.readText, naming each path with `name` (e.g. relative to its side's directory). */
  reader(name: (path: string) => string): ManyReader {
    const one = (path: string): string => {
      const bytes = readFileSync(path);
      const key = name(path);
      const twin = this.#twin(key, bytes);
      if (twin !== undefined) return twin;
      const text = decoder.decode(bytes);
      if (!this.#first.has(key)) this.#first.set(key, { bytes, text });
      return text;
    };
    // A directory's files: those equal to the first read take its text, the others are decoded together.
    const many = (paths: readonly string[]): ReadResult[] => {
      const bytes = paths.map(readBytes);
      const keys = paths.map(name);
      const twins = bytes.map((b, k) => (Buffer.isBuffer(b) ? this.#twin(keys[k]!, b) : undefined));
      const out = decodeAll(bytes.map((b, k) => (twins[k] !== undefined ? EMPTY : b)));
      bytes.forEach((b, k) => {
        const twin = twins[k];
        if (twin !== undefined) out[k] = twin;
        else if (Buffer.isBuffer(b) && !this.#first.has(keys[k]!)) this.#first.set(keys[k]!, { bytes: b, text: out[k] as string });
      });
      return out;
    };
    return Object.assign(one, { many });
  }

  /** The text of the first file read under `key` when its bytes are these. */
  #twin(key: string, bytes: Buffer): string | undefined {
    const first = this.#first.get(key);
    return first !== undefined && first.bytes.equals(bytes) ? first.text : undefined;
  }
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return decoder.decode(Buffer.concat(chunks));
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file or directory';
  if (err.code === 'EACCES') return 'permission denied';
  return err.message ?? String(e);
}

