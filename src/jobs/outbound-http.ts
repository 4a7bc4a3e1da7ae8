import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import {
  type AddressAllowList,
  checkEndpointUrl,
  hostOf,
  refusedAddress,
} from '../domain/webhooks/addresses.js';

/** What an endpoint answered: its status, how long it took and the first bytes of its body. */
export interface Answer {
  status: number;
  latencyMs: number;
  body: string;
}

/** A POST that never reached an answer: refused destination, DNS failure, timeout, reset. */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly latencyMs: number,
  ) {
    super(message);
  }
}

export const ANSWER_BYTES = 1024;
/** Past this much body the connection is dropped rather than drained. */
const DRAIN_LIMIT = 1024 * 1024;

/**
 * Resolves the host itself and refuses the connection when any address it resolves to is refused: the socket
 * connects to the address checked here, so a name that rebinds between a check and the connect cannot slip
 * past (docs/webhooks.md, "SSRF").
 */
function guardedLookup(allow: AddressAllowList): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      const done = callback as (e: Error | null, a: string | LookupAddress[], f?: number) => void;
      if (error) return done(error, '', 4);
      const why = addresses.map((a) => refusedAddress(a.address, hostname, allow)).find(Boolean);
      const first = addresses[0];
      if (why || !first) return done(new Error(`refused destination: ${why ?? 'no address'}`), '', 4);
      if (options.all) return done(null, addresses);
      return done(null, first.address, first.family);
    });
  };
}

/** Text PostgreSQL can store: no NUL (Buffer decoding already leaves no lone surrogate). */
export const storable = (text: string) => text.replaceAll('\u0000', '');

function readAnswer(res: http.IncomingMessage, started: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let seen = 0;
    res.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (kept < ANSWER_BYTES) chunks.push(chunk.subarray(0, ANSWER_BYTES - kept));
      kept = Math.min(ANSWER_BYTES, kept + chunk.length);
      if (seen > DRAIN_LIMIT) res.destroy();
    });
    const settle = () =>
      resolve({
        status: res.statusCode ?? 0,
        latencyMs: Date.now() - started,
        body: storable(Buffer.concat(chunks).toString('utf8')),
      });
    res.on('end', settle);
    res.on('close', settle);
    res.on('error', reject);
  });
}

export interface Sender {
  post(url: string, headers: Record<string, string>, body: string): Promise<Answer>;
  close(): void;
}

/**
 * POSTs over keep-alive connections, checking the URL (https, allow-list) and every address it resolves to;
 * follows no redirect (a 3xx is an answer like any other), gives up after `timeoutMs`.
 */
export function outboundSender(allow: AddressAllowList, timeoutMs = 10_000): Sender {
  const lookup = guardedLookup(allow);
  const agents = {
    'http:': new http.Agent({ keepAlive: true, lookup }),
    'https:': new https.Agent({ keepAlive: true, lookup }),
  };
  const post = (raw: string, headers: Record<string, string>, body: string) => {
    const started = Date.now();
    const failed = (why: string) => new SendFailure(why, Date.now() - started);
    return new Promise<Answer>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(checkEndpointUrl(raw, allow));
      } catch (error) {
        return reject(failed((error as Error).message));
      }
      // A literal address is never looked up, so it is checked here.
      const host = hostOf(url);
      const why = isIP(host) !== 0 ? refusedAddress(host, host, allow) : null;
      if (why) return reject(failed(`refused destination: ${why}`));
      const client = url.protocol === 'https:' ? https : http;
      const req = client.request(url, {
        method: 'POST',
        agent: agents[url.protocol as keyof typeof agents],
        lookup,
        headers: { 'content-type': 'application/json', 'user-agent': 'Trellis-Webhooks/1', ...headers },
        signal: AbortSignal.timeout(timeoutMs),
      });
      req.on('response', (res) => readAnswer(res, started).then(resolve, (e) => reject(failed(e.message))));
      req.on('error', (error) =>
        reject(failed(error.name === 'AbortError' ? `no answer in ${timeoutMs} ms` : error.message)),
      );
      req.end(body);
    });
  };
  return {
    post,
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
