import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with one request: pass it to ClickHouse, answer an error itself, or never answer
 * (`hang`: the client waits until it gives up or dies). With `forward`, ClickHouse first gets that body
 * instead (an INSERT that landed in part before it failed); without it, ClickHouse never sees the request.
 */
export type FaultDecision =
  | { readonly answer: 'pass' }
  | { readonly answer: 'fail'; readonly status: number; readonly body: string; readonly forward?: string }
  | { readonly answer: 'hang'; readonly forward?: string };

export interface ClickHouseFaultProxy {
  readonly url: string;
  close(): Promise<void>;
}

const HOP_HEADERS = ['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive'];
const RESPONSE_HOP_HEADERS = ['content-length', 'transfer-encoding', 'content-encoding', 'connection'];

/**
 * An HTTP proxy in front of the stack's ClickHouse for fault tests: `decide` sees each request (the decoded
 * URL, where the INSERT query is, and the body, where the rows are) and lets it through or answers an error
 * in ClickHouse's format. Integration only (needs the local stack's ClickHouse).
 */
export async function startClickHouseFaultProxy(target: string, host: string, decide: (request: { url: string; body: string }) => FaultDecision): Promise<ClickHouseFaultProxy> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const decision = decide({ url: decodeURIComponent(request.url ?? ''), body: body.toString('utf8') });
        const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_HEADERS.includes(name)).map(([name, value]) => [name, String(value)]));
        const forward = async (sent: Buffer): Promise<Response> => fetch(`${target}${request.url ?? '/'}`, { method: request.method ?? 'GET', headers, ...(sent.length > 0 ? { body: sent } : {}) });
        if (decision.answer !== 'pass') {
          if (decision.forward !== undefined) await (await forward(Buffer.from(decision.forward))).arrayBuffer();
          if (decision.answer === 'fail') response.writeHead(decision.status, { 'content-type': 'text/plain' }).end(decision.body);
          return;
        }
        const upstream = await forward(body);
        const text = Buffer.from(await upstream.arrayBuffer());
        response.writeHead(upstream.status, Object.fromEntries([...upstream.headers].filter(([name]) => !RESPONSE_HOP_HEADERS.includes(name)))).end(text);
      })().catch((error: unknown) => response.writeHead(502).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
