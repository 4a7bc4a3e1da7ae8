import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../domain/errors.js';
import { newRequestId } from './request-id.js';

/** A face's error body for a request that has no Fastify request, only an id. */
export type RawErrorBody = (requestId: string, error: AppError) => unknown;

/** Node's parser errors as ours: nothing of the request was read, so no route or face is known. */
function clientAppError(code: string | undefined): AppError {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new AppError('headers_too_large', 'The request line and headers exceed 16 KB.');
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new AppError('request_timeout');
  return new AppError('invalid_parameters', 'The request is not valid HTTP/1.1.');
}

/**
 * Fastify's clientErrorHandler: Node refused the request before Fastify saw it (a 70 KB header), so the
 * answer is written on the raw socket, in the envelope, with a request id that the log line also carries.
 */
export function clientErrorHandler(body: RawErrorBody, headers: Record<string, string>) {
  return function onClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket) {
    // A reset connection has nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const id = newRequestId();
    const appError = clientAppError(error.code);
    this.log.info({ reqId: id, code: error.code, status: appError.status }, 'client error');
    if (!socket.writable) return void socket.destroy(error);
    const payload = JSON.stringify(body(id, appError));
    const lines = Object.entries({
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(payload)),
      'X-Request-Id': id,
      Connection: 'close',
    }).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(
      `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status]}\r\n${lines.join('')}\r\n${payload}`,
    );
  };
}
