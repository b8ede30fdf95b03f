import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorCode } from '@streamrec/foundation';

/** Node's limit on the request line plus headers (`--max-http-header-size`, 16 KiB by default). */
const HEADER_LIMIT = '16 KiB';

/**
 * Errors Node's HTTP parser raises before any route runs (a request line or headers over the limit, a
 * malformed request, a client too slow to send its headers) answered in the API's one error shape,
 * `{ error: { code, message } }`, like every other error (Fastify's default sends another shape).
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, ErrorCode.PayloadTooLarge, `the request line and headers are larger than ${HEADER_LIMIT}`]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, ErrorCode.Timeout, 'the request was not received in time']
        : [400, ErrorCode.InvalidArgument, 'malformed HTTP request'];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
