/**
 * Listen on a free port of 127.0.0.1 with a test's own `node:http` server (a
 * mirror that cloaks, stalls or strips); `close` ends every open connection
 * first, so a request left hanging on purpose cannot keep the test alive.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listenOnLoopback(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
