// `npm run demo`: the pull-request job on the bundled example, with no GitHub account. It creates a git
// repository on the fly with two commits of examples/shop (base: the shop as it is; head: a change that
// opens the backend to every namespace and, by mistake, closes Prometheus' path to the database), then runs
// the same analysis the app runs on a pull request and prints the check run and the comment it would post.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzePullRequest } from './analysis.js';
import { load } from 'js-yaml';
import { parseConfig } from './config/schema.js';
import { readGitTree, resolveGitRange } from './manifests/readGitTree.js';

const example = resolve(dirname(fileURLToPath(import.meta.url)), '../examples/shop');

export async function runDemo(out: (s: string) => void): Promise<'success' | 'failure' | 'neutral'> {
  const repo = mkdtempSync(join(tmpdir(), 'netpol-demo-'));
  try {
    // Fixed identities and dates make the commits, and so the printed shas, the same on every machine.
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'demo',
      GIT_AUTHOR_EMAIL: 'demo@example.com',
      GIT_COMMITTER_NAME: 'demo',
      GIT_COMMITTER_EMAIL: 'demo@example.com',
      GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
      GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
    };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
    git('init', '-q', '-b', 'main');
    cpSync(join(example, 'base'), join(repo, 'k8s'), { recursive: true });
    mkdirSync(join(repo, '.github'));
    cpSync(join(example, 'netpol.yml'), join(repo, '.github/netpol.yml'));
    git('add', '.');
    git('commit', '-qm', 'The shop as it runs today');
    git('checkout', '-qb', 'open-backend-api');
    cpSync(join(example, 'head'), join(repo, 'k8s'), { recursive: true });
    git('commit', '-qam', 'Let marketing call the backend API');

    const range = await resolveGitRange('main..open-backend-api', repo);
    const [baseFiles, headFiles] = await Promise.all([readGitTree(range.base, repo, ['k8s']), readGitTree(range.head, repo, ['k8s'])]);
    const changedFiles = git('diff', '--name-only', range.base, range.head).split('\n').filter(Boolean);
    // Like the app: the configuration comes from the default branch, never from the pull request.
    const config = parseConfig(load(git('show', 'main:.github/netpol.yml')));
    if (!config.ok) throw new Error(config.error);
    const result = analyzePullRequest({
      base: { files: baseFiles, sha: range.base },
      head: { files: headFiles, sha: range.head },
      config: config.config,
      changedFiles,
    });
    out(`netpol-bot demo: pull request "Let marketing call the backend API" on examples/shop\n`);
    out(`Changed files: ${changedFiles.join(', ')}\n`);
    out(`Check run "netpol": ${result.check.conclusion} — ${result.check.title}\n`);
    for (const a of result.check.annotations) out(`  annotation ${a.annotation_level} ${a.path}:${a.start_line}: ${a.message}\n`);
    out(`\n----- the pull-request comment -----\n\n${result.comment}\n`);
    return result.check.conclusion;
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runDemo((s) => process.stdout.write(s));
}
