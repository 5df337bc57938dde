import { createServer } from 'node:net';

/**
 * A port that is free on 127.0.0.1 right now. Probot treats PORT=0 as unset and falls back to 3000, which
 * collides with anything else on the machine, so servers under test get an explicit free port.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
