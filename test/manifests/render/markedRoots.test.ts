// The CLI's walk of its input directories lists the files that make a directory a root to render (see
// readManifestFiles' `markers`), so readRenderInputs does not walk them again: it must find the same inputs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifestFiles } from '../../../src/manifests/readFiles.js';
import { readRenderInputs, ROOT_MARKERS } from '../../../src/manifests/render/index.js';

describe('readRenderInputs with the roots the manifest walk marked', () => {
  it('reads what walking the directories again reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-marked-'));
    const cwd = process.cwd();
    try {
      const files: Record<string, string> = {
        'k/base/Kustomization': 'resources: [a.yaml, ../../shared]\n',
        'k/base/a.yaml': 'kind: ConfigMap\n',
        'k/base/extra.env': 'A=1\n',
        'k/overlay/kustomization.yml': 'resources: [../base]\n',
        'c/Chart.yaml': 'name: c\nversion: 1.0.0\n',
        'c/templates/x.yaml': 'kind: {{ .Values.kind }}\n',
        'c/_helpers.tpl': '{{/* */}}\n',
        'plain/p.yaml': 'kind: Namespace\n',
        'plain/node_modules/Kustomization': 'resources: []\n',
        'plain/.hidden/Chart.yaml': 'name: h\n',
        'shared/kustomization.yaml': 'resources: [s.yaml]\n',
        'shared/s.yaml': 'kind: ConfigMap\n',
      };
      for (const [p, t] of Object.entries(files)) {
        mkdirSync(join(dir, p, '..'), { recursive: true });
        writeFileSync(join(dir, p), t);
      }
      process.chdir(dir);
      for (const paths of [['k', 'c', 'plain'], ['./k/'], ['plain'], ['c/Chart.yaml', 'k']]) {
        const read = await readManifestFiles(paths, { markers: ROOT_MARKERS });
        const walked = await readRenderInputs(paths, read.files);
        const marked = await readRenderInputs(paths, read.files, process.cwd(), read.marked);
        expect(marked, paths.join(' ')).toEqual(walked);
      }
      const read = await readManifestFiles(['k', 'c', 'plain'], { markers: ROOT_MARKERS });
      expect(read.marked).toEqual(['k/base/Kustomization', 'k/overlay/kustomization.yml', 'c/Chart.yaml']);
      expect((await readRenderInputs(['k'], [], process.cwd(), ['k/base/Kustomization'])).files.map((f) => f.path)).toContain('k/base/extra.env');
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
