// Turns kustomize's error output into a diagnostic that points into the source: the kustomization entry
// that failed (following "accumulating resources from '<entry>'" through bases), or the file and line
// kustomize names, with the temporary directory replaced by the input paths.
import { posix } from 'node:path';
import type { Diagnostic } from '../model.js';
import type { KustomizationRoot } from './findKustomizations.js';

export interface KustomizeErrorContext {
  readonly overlay: KustomizationRoot;
  readonly roots: readonly KustomizationRoot[];
  /** The temporary directory the inputs were written under (absolute input path = tempRoot + path). */
  readonly tempRoot: string;
  /** Display path of each input file, by absolute path. */
  readonly displayOf: ReadonlyMap<string, string>;
  readonly baseDir: string;
  /** Text of each input file, by absolute path (to find the patch an error is about). */
  readonly textOf: (abs: string) => string | undefined;
}

export function parseKustomizeError(stderr: string, ctx: KustomizeErrorContext): Diagnostic {
  const raw = extractMessage(stderr);
  // Absolute temp paths -> absolute input paths, then to display paths.
  const tempPath = new RegExp(`${escapeRe(ctx.tempRoot)}(/[^\\s'"\`]*)?`, 'g');
  const message = raw.replace(tempPath, (_m, rest: string | undefined) => display(rest ?? '/', ctx));

  let root = ctx.overlay;
  let file = root.file.path;
  let line = 1;
  const byDir = new Map(ctx.roots.map((r) => [r.dirAbs, r]));
  const chain = [...raw.matchAll(/accumulating resources from '([^']+)'/g)].map((m) => m[1]!);
  for (const entry of chain) {
    const ref = root.refs.find((r) => r.entry === entry || posix.normalize(r.entry) === posix.normalize(entry));
    const target = byDir.get(posix.resolve(root.dirAbs, entry));
    if (target && target !== root) {
      root = target;
      file = root.file.path;
      line = 1;
      continue;
    }
    file = root.file.path;
    line = ref?.line ?? 1;
    const abs = posix.resolve(root.dirAbs, entry);
    const yamlLine = /yaml: line (\d+)/.exec(raw);
    if (ctx.displayOf.has(abs) && yamlLine) {
      file = ctx.displayOf.get(abs)!;
      line = Number(yamlLine[1]);
    }
    break;
  }
  if (chain.length === 0) {
    const yamlLine = /invalid Kustomization: .*?yaml: line (\d+)/.exec(raw);
    const patch = /patch "?[A-Za-z]+\.[^/\s]*\/([^.\s"]+)/.exec(raw);
    if (yamlLine) line = Number(yamlLine[1]);
    else if (patch) line = patchLine(root, patch[1]!, ctx) ?? line;
    else {
      // A patch or other file named by the kustomization: point at its entry when it is one.
      const named = [...raw.matchAll(/'([^'\s]+\.ya?ml)'|\bpath:? ([^\s'"]+\.ya?ml)/g)].map((m) => m[1] ?? m[2]!);
      for (const n of named) {
        const lineOfEntry = entryLine(root.file.text, n);
        if (lineOfEntry !== undefined) {
          line = lineOfEntry;
          break;
        }
      }
    }
  }
  return { file, line, severity: 'error', message: `kustomize build of ${ctx.overlay.dir} failed: ${message}` };
}

/** The line of the `path:` patch entry whose file names the object the error is about. */
function patchLine(root: KustomizationRoot, objectName: string, ctx: KustomizeErrorContext): number | undefined {
  const lines = root.file.text.split('\n');
  for (const [i, l] of lines.entries()) {
    const m = /^\s*-?\s*path:\s*["']?([^"'#\s]+)/.exec(l);
    if (!m) continue;
    const text = ctx.textOf(posix.resolve(root.dirAbs, m[1]!));
    if (text !== undefined && new RegExp(`\\bname:\\s*["']?${escapeRe(objectName)}["']?\\s*[,}\\n]`).test(text)) return i + 1;
  }
  return undefined;
}

function display(absInput: string, ctx: KustomizeErrorContext): string {
  const known = ctx.displayOf.get(absInput);
  if (known !== undefined) return known;
  const rel = posix.relative(ctx.baseDir, absInput);
  return rel === '' ? '.' : rel.startsWith('../') ? absInput : rel;
}

/** The error text of kubectl (`... "command failed" err="..."`) or kustomize (`Error: ...`). */
function extractMessage(stderr: string): string {
  const klog = /"command failed" err="((?:[^"\\]|\\.)*)"/.exec(stderr);
  if (klog) return klog[1]!.replace(/\\(.)/g, '$1');
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const error = lines.find((l) => l.startsWith('Error: '));
  if (error) return error.slice('Error: '.length);
  return lines.at(-1) ?? 'failed without a message';
}

/** The 1-based line of the first line mentioning `name` as a value, if any. */
function entryLine(text: string, name: string): number | undefined {
  const i = text.split('\n').findIndex((l) => l.includes(name));
  return i >= 0 ? i + 1 : undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
