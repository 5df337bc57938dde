/** Freeze an object graph, so a test shows that code reading shared (cached) objects never writes to them. */
export function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}
