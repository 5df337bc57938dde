// Name rules of k8s.io/apimachinery/pkg/util/validation, which the API server applies to label keys,
// label values and port names: an object breaking them is rejected, so we must not analyse it.

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Problems with a label key (IsQualifiedName): `[prefix/]name`, name <= 63, prefix a DNS subdomain. */
export function qualifiedNameProblems(key: string): string[] {
  // The common case first: a plain name (no prefix) that is valid, without splitting or allocating.
  if (key.length <= 63 && NAME.test(key)) return [];
  const parts = key.split('/');
  let name = key;
  const problems: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) {
      problems.push('prefix part must be a lowercase DNS subdomain (at most 253 characters)');
    }
  } else if (parts.length > 2) {
    return ["a qualified name must be 'name' or 'prefix/name'"];
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  else if (!NAME.test(name)) {
    problems.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  }
  return problems;
}

/** Problems with a label value (IsValidLabelValue): empty, or a name of at most 63 characters. */
export function labelValueProblems(value: string): string[] {
  if (value === '') return [];
  if (value.length > 63) return ['must be no more than 63 characters'];
  if (!NAME.test(value)) {
    return ["must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"];
  }
  return [];
}

/** Problems with a named port (IsValidPortName, an IANA_SVC_NAME). */
export function portNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length > 15) problems.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) problems.push("must contain only lowercase alphanumeric characters or '-'");
  if (!/[a-z]/.test(name)) problems.push('must contain at least one letter');
  if (name.includes('--')) problems.push("must not contain consecutive hyphens");
  if (name.startsWith('-') || name.endsWith('-')) problems.push("must not begin or end with a hyphen");
  return problems;
}

/** Problems with a port number (IsValidPortNum). */
export function portNumberProblems(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}
