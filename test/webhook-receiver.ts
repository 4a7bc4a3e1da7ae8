import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got, verified with the standardwebhooks library against the path's secret. */
export interface Received {
  path: string;
  id: string;
  type: string;
  data: Record<string, unknown>;
  verified: boolean;
  /** The status the receiver answered. */
  status: number;
}

type Answer = (path: string) => { status: number; body?: string; headers?: Record<string, string> };

/**
 * A real HTTP receiver on loopback. Every request is verified with `Webhook.verify` under the secret set
 * for its path (`secrets.set('/a', whsec_…)`); `answer` decides the reply per path (200 "ok" by default).
 */
export async function startReceiver() {
  const received: Received[] = [];
  const secrets = new Map<string, string>();
  const state: { answer: Answer } = { answer: () => ({ status: 200, body: 'ok' }) };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const secret = secrets.get(path);
      let verified = false;
      try {
        if (secret) new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified = Boolean(secret);
      } catch {
        verified = false;
      }
      const parsed = body ? JSON.parse(body) : {};
      const { status, body: answer = '', headers = {} } = state.answer(path);
      received.push({
        path,
        id: String(req.headers['webhook-id']),
        type: parsed.type,
        data: parsed.data,
        verified,
        status,
      });
      res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(answer);
    });
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    received,
    secrets,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    port,
    answer: (fn: Answer) => {
      state.answer = fn;
    },
    at: (path: string) => received.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
