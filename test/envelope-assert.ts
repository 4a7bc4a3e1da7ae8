import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/** The error envelope: status, code, the registry sentence, a description and the request id of the header. */
export function expectError(res: LightMyRequestResponse, status: number, code: string, label = '') {
  const where = `${label} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, where).toBe(status);
  const body = res.json();
  expect(body, where).toMatchObject({
    success: false,
    error: code,
    message: expect.any(String),
    error_description: expect.any(String),
  });
  expect(body.request_id, where).toBe(res.headers['x-request-id']);
  expect(body, `${where}: an error never carries data`).not.toHaveProperty('data');
}
