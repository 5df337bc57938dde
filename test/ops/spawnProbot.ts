// Starts a server process (`probot run <entry>`, or any command line) and waits for Probot's
// "Listening on http://host:port" line. Shared by the server tests (e2e, logs/secrets, Dockerfile).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  stop: () => Promise<void>;
}

export { freePort } from '../helpers/freePort.js';

export async function startServer(command: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs = 30_000): Promise<Started> {
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return { child, port, output: () => out, stop };
}

/** `probot run <entry>` with TypeScript loaded through scripts/register-ts.mjs (no build needed). */
export function startProbotTs(entry: string, env: Record<string, string>, cwd: string): Promise<Started> {
  return startServer(
    process.execPath,
    ['--import', join(root, 'scripts/register-ts.mjs'), join(root, 'node_modules/probot/bin/probot.js'), 'run', entry],
    env,
    cwd,
  );
}
