import type { AddressInfo } from 'node:net';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { SMTPServer } from 'smtp-server';
import type { TestApp } from './harness.js';

/** A real SMTP server on loopback that keeps what it receives, decoded enough to follow a link. */
export async function startMailbox() {
  const received: { to: string[]; raw: string; text: string }[] = [];
  /** Recipients the server refuses with a 550, as a real one does a mailbox that does not exist. */
  const refused = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!refused.has(address.address)) return callback();
      callback(Object.assign(new Error('5.1.1 No such mailbox'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          text: decodeQuotedPrintable(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    refused,
    /** The mails sent to an address so far. */
    to: (address: string) => received.filter((m) => m.to.includes(address)),
    /** The first mail to an address that matches, waiting up to 5 s for it (some mail goes after the answer). */
    next: async (address: string, matches: (mail: { raw: string; text: string }) => boolean) => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const found = received.find((m) => m.to.includes(address) && matches(m));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching mail to ${address} in 5 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function decodeQuotedPrintable(raw: string) {
  if (!/content-transfer-encoding:\s*quoted-printable/i.test(raw)) return raw;
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The link of a mail, as a path the app serves. */
export function linkIn(text: string, base: string): string {
  const match = new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/auth/[^\\s]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no link in ${text}`);
  return match[1];
}

/** A browser's cookie jar, reduced to what a test needs: it keeps what Set-Cookie says and sends it back. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  /** The attributes of the last Set-Cookie seen for each name. */
  readonly attributes = new Map<string, string>();
  take(response: LightMyRequestResponse) {
    const header = response.headers['set-cookie'];
    for (const line of Array.isArray(header) ? header : header ? [header] : []) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      this.attributes.set(name, attributes.join('; '));
      const expired = attributes.some((a) => /^max-age=0$/i.test(a) || /^expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** A browser: a cookie jar, and requests that send it and keep what comes back. */
export function browser(t: TestApp, address = '127.0.0.1') {
  const jar = new CookieJar();
  const send = async (options: InjectOptions) =>
    jar.take(
      await t.app.inject({
        remoteAddress: address,
        ...options,
        headers: { ...(jar.cookies.size > 0 && { cookie: jar.header() }), ...options.headers },
      }),
    );
  /** A form post, as a browser sends it. */
  const form = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    send({
      method: 'POST',
      url,
      payload: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  /** Signs in through the JSON API and returns the session's CSRF token. */
  const signIn = async (email: string, password: string) => {
    const res = await send({ method: 'POST', url: '/auth/sign-in', payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
    return res.json().data as {
      session_id: number;
      csrf_token: string;
      user_id: number;
      privacy_notice_pending: boolean;
    };
  };
  return { jar, send, form, signIn };
}
