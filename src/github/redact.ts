// Secrets that can end up inside an error message: installation tokens (`ghs_...`), other GitHub tokens,
// `Authorization` header values, JWTs (the app's signed assertion), a codeload redirect's `?token=`, URL
// credentials and a PEM private key. Error messages are shown in check runs and replies, and logged, so
// every one passes through `redactSecrets` first.

const PATTERNS: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted private key]'],
  [/\bgh[pousr]_[A-Za-z0-9_]{16,}/g, '[redacted token]'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, '[redacted token]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted jwt]'],
  [/\b(bearer|token)(\s+)[A-Za-z0-9_.\-=+/]{8,}/gi, '$1$2[redacted]'],
  [/([?&](?:access_)?token=)[^&\s"')]+/gi, '$1[redacted]'],
  [/(\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1[redacted]@'],
];

/** `text` with every token, key and credential-looking string replaced by a `[redacted ...]` placeholder. */
export function redactSecrets(text: string, known: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of known) if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  for (const [re, by] of PATTERNS) out = out.replace(re, by);
  return out;
}
