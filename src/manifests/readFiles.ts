// Reads the manifest files named on a command line: files, directories (recursively) and `-` for stdin.
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Diagnostic, ManifestFile } from './model.js';

export interface ReadOptions {
  /** Reads standard input for `-`; defaults to process.stdin. Injected by tests. */
  readonly readStdin?: () => Promise<string>;
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
): Promise<{ files: ManifestFile[]; diagnostics: Diagnostic[] }> {
  const files: ManifestFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const fail = (file: string, message: string): void => {
    diagnostics.push({ file, line: 1, severity: 'error', message });
  };
  for (const given of paths) {
    if (given === '-') {
      files.push({ path: STDIN_PATH, text: await (opts.readStdin ?? readProcessStdin)() });
      continue;
    }
    try {
      if ((await stat(given)).isDirectory()) {
        const found = await walk(given, fail);
        if (found.length === 0) {
          diagnostics.push({ file: given, line: 1, severity: 'warning', message: 'no .yaml, .yml or .json file in this directory' });
        }
        // Read with bounded concurrency (one await per file left the disk idle), kept in walk order.
        const texts = await mapLimit(found, READ_CONCURRENCY, async (p) => {
          try {
            return await readText(p);
          } catch (e) {
            fail(p, `cannot read: ${reason(e)}`);
            return undefined;
          }
        });
        found.forEach((p, i) => {
          const text = texts[i];
          if (text !== undefined) files.push({ path: p, text });
        });
      } else {
        files.push({ path: given, text: await readText(given) });
      }
    } catch (e) {
      fail(given, `cannot read: ${reason(e)}`);
    }
  }
  return { files, diagnostics };
}

const READ_CONCURRENCY = 32;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function walk(dir: string, fail: (file: string, message: string) => void): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
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
      out.push(...(await walk(p, fail)));
    } else if ((entry.isFile() || entry.isSymbolicLink()) && MANIFEST_FILE.test(entry.name)) {
      out.push(p);
    }
  }
  return out;
}

/** Decodes as UTF-8 without throwing: invalid bytes become U+FFFD, which parseFile reports. */
async function readText(p: string): Promise<string> {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(await readFile(p));
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(Buffer.concat(chunks));
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file or directory';
  if (err.code === 'EACCES') return 'permission denied';
  return err.message ?? String(e);
}

