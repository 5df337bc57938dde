// Kustomize fetches some `resources:` entries from the network (git repositories, URLs). Rendering must
// never do so, so such entries are found before kustomize runs.

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const GIT_FORMS = /^(git::|git@|ssh:|gh:|github\.com[:/]|gitlab\.com[:/]|bitbucket\.org[:/])/i;
const HOST_PATH = /^[a-z0-9-]+(\.[a-z0-9-]+)+\/.+/i;

/**
 * Whether a kustomization entry would be fetched remotely: a URL (`https://...`), a git form (`git@host:`,
 * `git::`, `github.com/org/repo//path?ref=v1`), or `host.tld/...` when no such local directory exists.
 * `localExists` says whether the entry names something in the input (as kustomize would try it first).
 */
export function isRemoteRef(entry: string, localExists: boolean): boolean {
  const e = entry.trim();
  if (SCHEME.test(e) || GIT_FORMS.test(e)) return true;
  if (localExists) return false;
  return HOST_PATH.test(e);
}
