export const USAGE = `netpol: Kubernetes NetworkPolicy reachability, and what a change opens and closes

Usage:
  netpol matrix <paths...> [--format text|json|csv|md|dot] [--namespace NS]
  netpol diff --base <paths...> --head <paths...> [--format text|markdown|json|dot|mermaid]
  netpol diff --git <base-ref>..<head-ref> [--format ...] [-- <pathspec...>]
  netpol explain <paths...> --from SRC --to DST[:PORT[/PROTO]] [--format text|markdown|json]
  netpol explain <paths...> [--policy ns/name] [--format text|markdown|json]

Paths are files or directories (read recursively) of .yaml, .yml and .json manifests; "-" reads stdin.
A directory with a kustomization.yaml is rendered with kustomize (or kubectl kustomize), one with a
Chart.yaml with helm template; without the tool it is listed as not analysed. Nothing is fetched.

Options:
  --config FILE           read the app's configuration (.github/netpol.yml): defaultNamespace, assume,
                          kustomize, helm, limits, failOn; flags override it
  --default-namespace NS  namespace of objects without metadata.namespace (default: default)
  --no-render             read kustomization and Helm chart directories raw instead of rendering them
  --overlay GLOB          render these kustomization directories (default: the leaves); repeatable
  --helm-values DIR=FILE  values file for the chart in DIR (helm template -f); repeatable
  --namespace, -n NS      matrix: only connections from or to workloads in NS
  --format, -f FORMAT     output format (default: text)
  --max-chars N           diff markdown: bound the output, dropping the least important lines first
  --max-file-bytes N      skip (with an error diagnostic) files larger than N bytes (default 1048576; 0: no limit)
  --max-objects N         refuse a side with more than N Kubernetes objects (default 20000; 0: no limit)
  --exit-code             diff: exit 1 when anything opened or closed
  --check                 diff: exit 1 when the failOn rules (from --config, else the default) fail, as the
                          app's check run would
  --quiet, -q             no progress and no diagnostics on stderr
  --verbose, -v           progress on stderr even when it is not a terminal
  --no-color              no colours (also: NO_COLOR set, or output not a terminal)
  --help, -h              this text
  --version               the version

SRC/DST: ns/name, name (when unique), ns/name[Kind], Kind/name, an IP address or CIDR, or "internet".

Exit codes: 0 success; 1 diff --exit-code found changes or diff --check failed; 2 usage error, unreadable input or an
explain target that could not be resolved.
`;
