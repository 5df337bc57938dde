// Member ids of the diff are either workload ids (`ns/name[Kind]`) or IP range ids (CIDR lists such as
// `10.0.0.0/8,fc00::/7`). A CIDR never contains `[`, so the bracketed kind tells them apart.

/** The namespace of a workload id; undefined for an IP range id. */
export function memberNamespace(id: string): string | undefined {
  const m = /^([^/[\]]+)\/[^[]*\[[^\]]*\]$/.exec(id);
  return m ? m[1] : undefined;
}
