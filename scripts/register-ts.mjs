// A tiny TypeScript loader for repository scripts (no tsx): `node --import ./scripts/register-ts.mjs x.ts`.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
