// An in-memory git repository for tests: commits of files, served as GitHub would (tarball, trees, blobs).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export type Files = Record<string, string>;

export function blobSha(text: string): string {
  const bytes = Buffer.from(text);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export class FakeRepo {
  readonly commits = new Map<string, Files>();
  constructor(
    readonly owner: string,
    readonly repo: string,
  ) {}

  commit(sha: string, files: Files): string {
    this.commits.set(sha, files);
    return sha;
  }

  files(sha: string): Files {
    const f = this.commits.get(sha);
    if (!f) throw new Error(`no commit ${sha}`);
    return f;
  }

  /** A gzipped tarball laid out like GitHub's: `<owner>-<repo>-<sha7>/...`, with a pax global header. */
  async tarball(sha: string, extra: Record<string, { type: 'symlink'; linkname: string }> = {}): Promise<Buffer> {
    const pack = tar.pack();
    const top = `${this.owner}-${this.repo}-${sha.slice(0, 7)}`;
    const chunks: Buffer[] = [];
    const done = new Promise<void>((resolve, reject) => {
      pack.on('data', (c: unknown) => chunks.push(c as Buffer));
      pack.on('end', resolve);
      pack.on('error', reject);
    });
    pack.entry({ name: 'pax_global_header', type: 'pax-global-header', pax: { comment: sha } } as unknown as Parameters<typeof pack.entry>[0]);
    pack.entry({ name: `${top}/`, type: 'directory' });
    for (const [path, text] of Object.entries(this.files(sha))) pack.entry({ name: `${top}/${path}` }, text);
    for (const [path, link] of Object.entries(extra)) pack.entry({ name: `${top}/${path}`, type: link.type, linkname: link.linkname });
    pack.finalize();
    await done;
    return gzipSync(Buffer.concat(chunks));
  }

  tree(sha: string, truncated = false): unknown {
    const tree = Object.entries(this.files(sha)).map(([path, text]) => ({
      path,
      mode: '100644',
      type: 'blob',
      sha: blobSha(text),
      size: Buffer.byteLength(text),
      url: `https://api.github.com/repos/${this.owner}/${this.repo}/git/blobs/${blobSha(text)}`,
    }));
    return { sha, url: `https://api.github.com/repos/${this.owner}/${this.repo}/git/trees/${sha}`, tree, truncated };
  }

  /** blob sha -> text, over every commit. */
  blobs(): Map<string, string> {
    const m = new Map<string, string>();
    for (const files of this.commits.values()) for (const text of Object.values(files)) m.set(blobSha(text), text);
    return m;
  }

  blob(sha: string): unknown {
    const text = this.blobs().get(sha);
    if (text === undefined) return undefined;
    const content = Buffer.from(text).toString('base64');
    return { sha, node_id: 'B_x', size: Buffer.byteLength(text), url: '', content, encoding: 'base64' };
  }
}

/** A synthetic repository of `n` small Kubernetes manifests plus some non-manifest files. */
export function manyManifests(n: number, variant = ''): Files {
  const files: Files = { 'README.md': '# demo\n', 'src/main.go': 'package main\n' };
  for (let i = 0; i < n; i++) {
    files[`k8s/app-${i}/deploy.yaml`] =
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ns-${i % 10}\nspec:\n  template:\n    metadata:\n      labels: { app: app-${i} }${variant}\n`;
  }
  return files;
}
