// Member ids of the diff are either workload ids (`ns/name[Kind]`) or IP range ids (CIDR lists such as
// `10.0.0.0/8,fc00::/7`). A CIDR never contains `[`, so a trailing bracketed kind tells them apart; the
// namespace (a DNS label) ends at the first `/`, whatever the name holds.

/** The namespace of a workload id; undefined for an IP range id. */
export function memberNamespace(id: string): string | undefined {
  const m = /^([^/]+)\/.*\[[^\]]*\]$/s.exec(id);
  return m ? m[1] : undefined;
}
