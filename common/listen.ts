import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Listens and answers the bound port; a failure (EADDRINUSE, EACCES) rejects with the address and
 * what was to listen there. Through http.Server, never express's app.listen: express 5 hands a listen
 * error to app.listen's callback, which looks like success with no address.
 */
export function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`${what} cannot listen on ${host}:${port}: ${err.message}`)));
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
