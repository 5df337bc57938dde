// The `.github/netpol.yml` configuration: one zod schema is the single source of truth for validation, the
// `NetpolConfig` type, the JSON Schema (schema/netpol.schema.json) and the key table (docs/config.md).
// Evaluating `failOn` against a diff is domain logic and lives elsewhere; this file only describes it.
import { z } from 'zod';
import { DEFAULT_LIMITS, DEFAULT_PATHS } from './defaults.js';

export { DEFAULT_LIMITS, DEFAULT_PATHS };

const labelValue = z.string().max(63);

export const labelSelectorRequirementSchema = z
  .strictObject({
    key: z.string().min(1).describe('Label key.'),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']).describe('Kubernetes selector operator.'),
    values: z.array(labelValue).optional().describe('Values for In/NotIn; must be empty for Exists/DoesNotExist.'),
  })
  .superRefine((req, ctx) => {
    const n = req.values?.length ?? 0;
    if ((req.operator === 'In' || req.operator === 'NotIn') && n === 0) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `operator ${req.operator} needs at least one value` });
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && n > 0) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `operator ${req.operator} takes no values` });
    }
  });

/** The shape of a Kubernetes metav1.LabelSelector (as written in YAML). */
export const labelSelectorSchema = z
  .strictObject({
    matchLabels: z.record(z.string().min(1), labelValue).optional().describe('Labels that must all match.'),
    matchExpressions: z.array(labelSelectorRequirementSchema).optional().describe('Requirements that must all match.'),
  })
  .describe('A Kubernetes label selector. Empty selects everything.');

export const FAIL_ON_KEYWORDS = [
  'any-opened',
  'any-closed',
  'opened-cross-namespace',
  'opened-from-internet',
  'opened-from-outside-cluster',
] as const;
export type FailOnKeyword = (typeof FAIL_ON_KEYWORDS)[number];

export const failOnOpenedToSchema = z
  .strictObject({
    openedTo: z
      .strictObject({
        namespaceSelector: labelSelectorSchema.optional().describe('Namespaces of the destination.'),
        podSelector: labelSelectorSchema.optional().describe('Pods of the destination.'),
      })
      .describe('Fail when a connection is opened to pods matching these selectors.'),
  })
  .describe('Fail when a connection to the selected pods is opened.');

export const failOnRuleSchema = z
  .union([z.enum(FAIL_ON_KEYWORDS), failOnOpenedToSchema])
  .describe(`One of ${FAIL_ON_KEYWORDS.map((k) => `'${k}'`).join(', ')}, or { openedTo: { namespaceSelector?, podSelector? } }.`);
export type FailOnRule = z.infer<typeof failOnRuleSchema>;

export const COMMENT_MODES = ['update', 'hide-and-new', 'delete-and-new', 'new', 'off'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

export const limitsSchema = z
  .strictObject({
    maxFileBytes: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_LIMITS.maxFileBytes)
      .describe('Files larger than this many bytes are skipped (and reported); the rest is analysed and the check concludes per `onExceeded`.'),
    maxObjects: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_LIMITS.maxObjects)
      .describe('A side (merge base or head) with more Kubernetes objects than this is not analysed; the check says so and concludes per `onExceeded`.'),
    timeoutSeconds: z
      .number()
      .int()
      .positive()
      .max(600)
      .default(DEFAULT_LIMITS.timeoutSeconds)
      .describe('Give up the analysis of one pull request after this many seconds; the check says so and concludes per `onExceeded`.'),
    onExceeded: z
      .enum(['neutral', 'failure'])
      .default(DEFAULT_LIMITS.onExceeded)
      .describe('Conclusion of the check when a limit trips: `failure` (fail closed: a gate that could not look does not pass) or `neutral` (passes required checks, still says which limit tripped).'),
  })
  .describe('Resource limits of one analysis.');

export const kustomizeConfigSchema = z
  .strictObject({
    overlays: z
      .array(z.string().min(1))
      .optional()
      .describe('Globs of the kustomization directories to render. Default: the leaves (kustomizations no other kustomization includes).'),
    mode: z
      .enum(['merged', 'per-overlay'])
      .default('merged')
      .describe('Analyse every rendered overlay as one cluster, or each overlay as a cluster of its own.'),
  })
  .describe('Kustomize overlays, rendered with kustomize build (or kubectl kustomize); remote resources, plugins and helmCharts are refused.');

export const helmChartConfigSchema = z
  .strictObject({
    values: z.array(z.string().min(1)).default([]).describe('Values files, relative to the chart directory, passed as -f in this order.'),
    releaseName: z.string().min(1).max(53).optional().describe("Release name. Default: the chart's name."),
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name (RFC 1123 label)')
      .max(63)
      .optional()
      .describe('Namespace of the release (--namespace). Default: defaultNamespace.'),
  })
  .describe('How one chart is rendered.');

export const helmConfigSchema = z
  .strictObject({
    charts: z
      .record(z.string().min(1), helmChartConfigSchema)
      .default({})
      .describe('Per chart directory (relative to the repository root): { values, releaseName, namespace }.'),
  })
  .describe('Helm charts (directories with a Chart.yaml), rendered with helm template; dependencies must be vendored under charts/.');

export const netpolConfigSchema = z
  .strictObject({
    paths: z
      .array(z.string().min(1))
      .default([...DEFAULT_PATHS])
      .describe('Globs of the manifest files to read (picomatch syntax, relative to the repository root). Hidden folders such as `.github/` are only read when a glob names them.'),
    ignore: z.array(z.string().min(1)).default([]).describe('Globs of files never read, even if they match `paths`.'),
    defaultNamespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name (RFC 1123 label)')
      .max(63)
      .default('default')
      .describe('Namespace of objects without metadata.namespace.'),
    assume: z
      .strictObject({
        namespaces: z
          .record(
            z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name (RFC 1123 label)').max(63),
            z
              .strictObject({
                labels: z.record(z.string(), z.string()).default({}).describe('Labels of the namespace (kubernetes.io/metadata.name is added).'),
                podLabels: z.record(z.string(), z.string()).optional().describe('Labels of a representative pod of the namespace, when its pods matter to policies.'),
              })
              .describe('One namespace that exists in the cluster but not in the manifests.'),
          )
          .default({})
          .describe('Namespaces beyond the manifests (kube-system, monitoring, ...) with their labels, so that "any namespace" means what the cluster means.'),
        ingressController: z
          .strictObject({
            namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name (RFC 1123 label)').max(63).describe('Namespace of the controller pods.'),
            labels: z.record(z.string(), z.string()).default({}).describe('Labels of the controller pods.'),
            namespaceLabels: z.record(z.string(), z.string()).default({}).describe('Labels of the controller namespace.'),
          })
          .optional()
          .describe('Where Ingress and Route traffic comes from. Default: ingress-nginx (OpenShift router for Routes only).'),
      })
      .optional()
      .describe('The assumed world: what exists in the cluster beyond the manifests. Listed in every "what was analysed".'),
    comment: z
      .enum(COMMENT_MODES)
      .default('update')
      .describe(
        'How the pull-request comment is written: update one comment in place, hide the old one and post a new one, delete the old one and post a new one, always post a new one, or never comment.',
      ),
    commentWhen: z
      .enum(['always', 'changes'])
      .default('changes')
      .describe('Comment on every analysed pull request, or only when reachability changes.'),
    failOn: z
      .array(failOnRuleSchema)
      .default(['opened-from-outside-cluster'])
      .describe('Rules that make the check fail. An empty list never fails.'),
    limits: limitsSchema.default({ ...DEFAULT_LIMITS }).describe('Resource limits of one analysis.'),
    kustomize: kustomizeConfigSchema.optional(),
    helm: helmConfigSchema.optional(),
  })
  .describe('Configuration of netpol-bot, read from .github/netpol.yml on the default branch.');

/** The validated configuration with every default applied. */
export type NetpolConfig = z.output<typeof netpolConfigSchema>;
/** The configuration as written by users. */
export type NetpolConfigInput = z.input<typeof netpolConfigSchema>;

export type ParseConfigResult = { ok: true; config: NetpolConfig } | { ok: false; error: string };

/** The configuration used when the repository has no .github/netpol.yml. */
export function defaultConfig(): NetpolConfig {
  return netpolConfigSchema.parse({});
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const s = String(seg);
      out += /^[A-Za-z_$][\w$-]*$/.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 60 ? `${v.slice(0, 60)}…` : v}"`;
  return String(v);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

type Issue = z.core.$ZodIssue;

/** Pick the issues of the union branch that matches the input's type (string keyword vs openedTo object). */
function unionBranch(issue: Extract<Issue, { code: 'invalid_union' }>, value: unknown): Issue[] | undefined {
  const branches = issue.errors ?? [];
  if (typeof value === 'string') return branches[0];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return branches[1];
  return undefined;
}

function formatIssue(issue: Issue, raw: unknown, prefix: readonly PropertyKey[]): string {
  const path = [...prefix, ...issue.path];
  const value = valueAt(raw, path);
  if (issue.code === 'invalid_union') {
    const branch = unionBranch(issue, value);
    const first = branch?.[0];
    if (first) return formatIssue(first, raw, path);
    const where = formatPath(path) || '(root)';
    return `${where}: expected one of ${FAIL_ON_KEYWORDS.map((k) => `'${k}'`).join(', ')} or { openedTo: { namespaceSelector?, podSelector? } }, got ${describeValue(value)}`;
  }
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    const where = formatPath(path);
    const plural = issue.keys.length > 1 ? 'keys' : 'key';
    return where ? `${where}: unknown ${plural} ${keys}` : `unknown ${plural} ${keys}`;
  }
  const where = formatPath(path) || '(root)';
  if (issue.code === 'invalid_value') {
    return `${where}: expected one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}, got ${describeValue(value)}`;
  }
  if (issue.code === 'invalid_type') {
    const names: Record<string, string> = { array: 'a list', object: 'a mapping', int: 'an integer', record: 'a mapping' };
    const expected = names[issue.expected] ?? `a ${issue.expected}`;
    return `${where}: expected ${expected}, got ${describeValue(value)}`;
  }
  return `${where}: ${issue.message}`;
}

/**
 * Validate a parsed `.github/netpol.yml` (YAML already parsed to plain data). `null`/`undefined` (an empty or
 * missing file) gives the defaults. The error names the key path, e.g. `failOn[1].openedTo.podSelector:
 * unknown key "matchLabel"`.
 */
export function parseConfig(raw: unknown): ParseConfigResult {
  const input = raw === null || raw === undefined ? {} : raw;
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, error: `the configuration must be a mapping of keys, got ${describeValue(input)}` };
  }
  const result = netpolConfigSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  const messages = result.error.issues.map((i) => formatIssue(i, input, []));
  const unique = [...new Set(messages)];
  return { ok: false, error: unique.join('; ') };
}
