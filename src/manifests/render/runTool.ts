// Runs an external renderer with bounds: a timeout (the process is killed) and a bound on the bytes it may
// write. The environment is given explicitly, so no token of the server leaks into a tool.
import { spawn } from 'node:child_process';

export interface ToolRun {
  /** 'ok' also covers a non-zero exit: read `code`. */
  readonly status: 'ok' | 'timeout' | 'too-large' | 'spawn-error';
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The spawn error, for `spawn-error`. */
  readonly error?: string;
}

export interface RunToolOptions {
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
}

const MAX_STDERR = 64 * 1024;

export function runTool(command: string, args: readonly string[], opts: RunToolOptions): Promise<ToolRun> {
  return new Promise((resolve) => {
    let settled = false;
    let status: ToolRun['status'] = 'ok';
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    const child = spawn(command, [...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    const kill = (why: ToolRun['status']): void => {
      if (status === 'ok') status = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), opts.timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes > opts.maxOutputBytes) return kill('too-large');
      out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < MAX_STDERR) err += c.toString('utf8').slice(0, MAX_STDERR - err.length);
    });
    const finish = (run: ToolRun): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(run);
    };
    child.on('error', (e) => finish({ status: 'spawn-error', code: null, stdout: '', stderr: err, error: e.message }));
    child.on('close', (code) =>
      finish({ status, code, stdout: status === 'ok' ? Buffer.concat(out).toString('utf8') : '', stderr: err }),
    );
  });
}
