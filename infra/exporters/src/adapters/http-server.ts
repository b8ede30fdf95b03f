import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  readonly status: number;
  readonly contentType?: string;
  readonly body: string;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  /** Matched against the request path without its query string. */
  readonly path: string;
  readonly handle: (body: string) => Promise<Reply> | Reply;
}

export interface HttpOptions {
  readonly host: string;
  readonly port: number;
  readonly routes: readonly Route[];
  /** A larger request body is refused with 413 before the handler runs. */
  readonly maxBodyBytes: number;
  /** A handler that threw: the client gets a bare 500. */
  readonly onError: (error: unknown, route: Route) => void;
  /** A request refused because its body exceeded maxBodyBytes. */
  readonly onTooLarge?: (route: Route) => void;
}

export interface HttpEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** A small HTTP server for a fixed set of routes (these processes serve three or four). */
export async function serveHttp(options: HttpOptions): Promise<HttpEndpoint> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const forPath = options.routes.filter((route) => route.path === path);
    const route = forPath.find((candidate) => candidate.method === request.method);
    if (route === undefined) {
      if (forPath.length > 0) response.writeHead(405, { allow: forPath.map((candidate) => candidate.method).join(', ') }).end();
      else response.writeHead(404).end();
      return;
    }
    const body = route.method === 'POST' ? readBody(request, options.maxBodyBytes) : Promise.resolve('');
    body
      .then((text) => route.handle(text))
      .then(
        (reply) => response.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/plain; charset=utf-8' }).end(reply.body),
        (error: unknown) => {
          if (error instanceof BodyTooLarge) {
            options.onTooLarge?.(route);
            response.writeHead(413).end('request body too large\n');
            return;
          }
          options.onError(error, route);
          response.writeHead(500).end('internal error\n');
        },
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
