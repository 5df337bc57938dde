// `npm run bench [-- --tier small|medium|huge|all] [--runs N] [--json] [--force]`
// Generates seeded clusters under .bench/ (once per generator version), then measures each tier in fresh
// processes: our cold and warm pull-request analysis, the bare js-yaml parse floor, the CLI's start-up and
// an end-to-end `netpol diff`. Prints a table of medians per tier (or JSON). Never part of `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TIERS, writeTier, type TierSpec } from './generate.js';
import type { FloorResult, OursResult, PhaseTimes } from './worker.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const benchDir = join(root, '.bench');

interface Args {
  tiers: string[];
  runs?: number;
  json: boolean;
  force: boolean;
}

function parse(argv: string[]): Args {
  const a: Args = { tiers: [], json: false, force: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (x === '--json') a.json = true;
    else if (x === '--force') a.force = true;
    else if (x === '--runs') a.runs = Number(argv[++i]);
    else if (x === '--tier' || x.startsWith('--tier=')) {
      const v = x.includes('=') ? x.slice(7) : argv[++i] ?? '';
      for (const t of v.split(',')) a.tiers.push(...(t === 'all' ? Object.keys(TIERS) : [t]));
    } else throw new Error(`unknown argument ${x}`);
  }
  if (a.tiers.length === 0) a.tiers = ['small', 'medium'];
  for (const t of a.tiers) if (!TIERS[t]) throw new Error(`unknown tier ${t} (small, medium, huge, all)`);
  return a;
}

function median(xs: readonly number[]): number {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function worker<T>(dir: string, mode: 'ours' | 'floor', extra: string[], heapMb: number): T {
  const out = execFileSync(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, join(here, 'worker.js'), dir, mode, ...extra],
    { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** Wall time of a command, in ms. */
function wall(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: root });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed: ${r.stderr?.toString()}`);
  return performance.now() - t;
}

/** A head tree for the end-to-end CLI run: symlinks to the base files, the pull request's files written. */
function headTree(dir: string): string {
  const head = join(dir, 'head');
  if (existsSync(join(head, '.done'))) return head;
  rmSync(head, { recursive: true, force: true });
  const link = (rel: string): void => {
    mkdirSync(dirname(join(head, rel)), { recursive: true });
    symlinkSync(relative(dirname(join(head, rel)), join(dir, 'base', rel)), join(head, rel));
  };
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, 'base', rel), { withFileTypes: true })) {
      const p = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (!existsSync(join(dir, 'pr-1', p))) link(p);
    }
  };
  walk('');
  const copy = (rel: string): void => {
    for (const e of readdirSync(join(dir, 'pr-1', rel), { withFileTypes: true })) {
      const p = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) copy(p);
      else {
        mkdirSync(dirname(join(head, p)), { recursive: true });
        writeFileSync(join(head, p), readFileSync(join(dir, 'pr-1', p)));
      }
    }
  };
  copy('');
  writeFileSync(join(head, '.done'), '');
  return head;
}

export interface TierReport {
  readonly tier: TierSpec;
  readonly runs: number;
  readonly files: number;
  readonly megabytes: number;
  readonly documents: number;
  readonly sniffed: number;
  readonly workloads: number;
  readonly policies: number;
  readonly classes?: number;
  readonly ipRanges?: number;
  readonly floor: { oneRefMs: number; bothRefsMs: number; mbPerSec: number };
  readonly cold: PhaseTimes;
  readonly warm: PhaseTimes;
  readonly parseMbPerSec: number;
  readonly hashMs: number;
  readonly rssColdMb: number;
  readonly rssPeakMb: number;
  /** Our cold total over the floor (js-yaml loadAll of both refs). */
  readonly ratioToFloor: number;
  readonly cliDiffMs?: number;
  /** A fresh process that reads and js-yaml-parses both trees the CLI reads, nothing else. */
  readonly cliFloorMs?: number;
  readonly matrixSkipped?: string;
  readonly samples: { ours: OursResult[]; floor: FloorResult[]; cliDiffMs: number[]; cliFloorMs: number[] };
}

function benchTier(name: string, args: Args, log: (s: string) => void): TierReport {
  const spec = TIERS[name]!;
  const dir = join(benchDir, name);
  const gen = writeTier(dir, spec);
  if (gen.generated) log(`generated ${name} in ${(gen.ms / 1000).toFixed(1)} s`);
  const runs = args.runs ?? (name === 'huge' ? 1 : 5);
  const heap = name === 'huge' ? 8192 : 4096;
  const ours: OursResult[] = [];
  const floor: FloorResult[] = [];
  const cli: number[] = [];
  const cliFloor: number[] = [];
  const head = name === 'huge' ? undefined : headTree(dir);
  for (let i = 0; i < runs; i++) {
    log(`${name}: run ${i + 1}/${runs}`);
    floor.push(worker<FloorResult>(dir, 'floor', [], heap));
    ours.push(worker<OursResult>(dir, 'ours', ['--warm', '5', ...(args.force ? ['--force'] : [])], heap));
    if (head) {
      // Side by side: the CLI, then a fresh process that only reads and js-yaml-parses the same two trees.
      cli.push(wall([join(root, 'lib', 'bin', 'netpol.js'), 'diff', '--base', join(dir, 'base'), '--head', head, '--format', 'json', '--quiet']));
      cliFloor.push(wall([join(here, 'floorCli.js'), join(dir, 'base'), head]));
    }
  }
  const m = (f: (o: OursResult) => number): number => median(ours.map(f));
  const phases = (k: 'cold' | 'warm'): PhaseTimes => ({
    parse: m((o) => o[k].parse),
    model: m((o) => o[k].model),
    matrix: m((o) => o[k].matrix),
    diff: m((o) => o[k].diff),
    total: m((o) => o[k].total),
  });
  const o0 = ours[0]!;
  const mb = o0.bytes / 1e6;
  const cold = phases('cold');
  const floorBoth = median(floor.map((f) => f.bothRefsMs));
  return {
    tier: spec,
    runs,
    files: o0.files / 2,
    megabytes: mb / 2,
    documents: o0.documents / 2,
    sniffed: o0.sniffed / 2,
    workloads: o0.workloads,
    policies: o0.policies,
    ...(o0.classes !== undefined ? { classes: o0.classes, ipRanges: o0.ipRanges! } : {}),
    floor: { oneRefMs: median(floor.map((f) => f.oneRefMs)), bothRefsMs: floorBoth, mbPerSec: mb / (floorBoth / 1000) },
    cold,
    warm: phases('warm'),
    parseMbPerSec: mb / (cold.parse / 1000),
    hashMs: m((o) => o.hashMs),
    rssColdMb: m((o) => o.rssColdBytes) / 1e6,
    rssPeakMb: m((o) => o.rssPeakBytes) / 1e6,
    ratioToFloor: cold.total / floorBoth,
    ...(cli.length > 0 ? { cliDiffMs: median(cli), cliFloorMs: median(cliFloor) } : {}),
    ...(o0.matrixSkipped ? { matrixSkipped: o0.matrixSkipped } : {}),
    samples: { ours, floor, cliDiffMs: cli, cliFloorMs: cliFloor },
  };
}

const ms = (x: number): string => (Number.isFinite(x) ? (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`) : 'n/a');

function table(r: TierReport): string {
  const { tier } = r;
  const rows: [string, string][] = [
    ['input (one ref)', `${r.files} files, ${r.megabytes.toFixed(1)} MB, ${r.documents} documents (${r.sniffed} sniffed, not parsed)`],
    ['model', `${r.workloads} workloads, ${r.policies} policies${r.classes !== undefined ? `, ${r.classes} classes, ${r.ipRanges} IP ranges` : ''}`],
    ['parse floor: js-yaml loadAll, both refs', `${ms(r.floor.bothRefsMs)} (${r.floor.mbPerSec.toFixed(1)} MB/s; one ref ${ms(r.floor.oneRefMs)})`],
    ['parse, both refs (cache by content, sniffing)', `${ms(r.cold.parse)} (${r.parseMbPerSec.toFixed(1)} MB/s effective; content hashing ${ms(r.hashMs)})`],
    ['model build, both refs', ms(r.cold.model)],
    ['matrix build, both refs', r.matrixSkipped ? 'not run' : ms(r.cold.matrix)],
    ['diff (typical PR, 5 files)', r.matrixSkipped ? 'not run' : ms(r.cold.diff)],
    ['cold total', `${ms(r.cold.total)}  (${r.ratioToFloor.toFixed(2)}x the parse floor)`],
    ['cold compute + diff after parsing', ms(r.cold.model + r.cold.matrix + r.cold.diff)],
    ['warm total (parse cache hit, 5 new files)', r.matrixSkipped ? 'not run' : `${ms(r.warm.total)}  (parse ${ms(r.warm.parse)}, model ${ms(r.warm.model)}, matrix ${ms(r.warm.matrix)}, diff ${ms(r.warm.diff)})`],
    ['peak RSS', `${r.rssPeakMb.toFixed(0)} MB (after the cold run: ${r.rssColdMb.toFixed(0)} MB)`],
  ];
  if (r.cliDiffMs !== undefined && r.cliFloorMs !== undefined) {
    rows.push(['end-to-end floor: a process reading + js-yaml loadAll of both trees', ms(r.cliFloorMs)]);
    rows.push(['`netpol diff --base --head` end to end', `${ms(r.cliDiffMs)}  (${(r.cliDiffMs / r.cliFloorMs).toFixed(2)}x that floor)`]);
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  const head = `${tier.name}: ${tier.namespaces} namespaces / ${tier.workloads} workloads / ${tier.policies} policies — medians of ${r.runs} run(s)`;
  const body = rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n');
  return `${head}\n${body}${r.matrixSkipped ? `\n  matrix: ${r.matrixSkipped}` : ''}\n`;
}

const args = parse(process.argv.slice(2));
const log = (s: string): void => {
  if (!args.json) process.stderr.write(`${s}\n`);
};
const loadBefore = loadavg();
const startup = {
  nodeMs: median(Array.from({ length: 7 }, () => wall(['-e', '0']))),
  helpMs: median(Array.from({ length: 7 }, () => wall([join(root, 'lib', 'bin', 'netpol.js'), '--help']))),
};
const reports = args.tiers.map((t) => benchTier(t, args, log));
const env = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  loadavgBefore: loadBefore.map((x) => Number(x.toFixed(2))),
  loadavgAfter: loadavg().map((x) => Number(x.toFixed(2))),
};
if (args.json) {
  process.stdout.write(JSON.stringify({ env, startup, tiers: reports }, null, 2) + '\n');
} else {
  process.stdout.write(
    `node ${env.node}, ${env.cpus} CPUs (${env.cpu}); load average before ${env.loadavgBefore.join(' ')}, after ${env.loadavgAfter.join(' ')}\n` +
      `start-up: \`node lib/bin/netpol.js --help\` ${ms(startup.helpMs)} (bare \`node -e 0\` ${ms(startup.nodeMs)})\n\n` +
      reports.map(table).join('\n'),
  );
}
