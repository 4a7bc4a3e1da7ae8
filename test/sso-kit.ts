import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A free loopback port, so that an app can be told its own address before it listens. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface IdpAccount {
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
}

export const IDP_CLIENT_ID = 'trellis-test';
export const IDP_CLIENT_SECRET = 'a-long-client-secret-for-the-loopback-provider';

/**
 * A real OpenID provider (the certified `oidc-provider`) on loopback, with one confidential client whose
 * redirect URI is the app's callback, its development login and consent pages, and accounts the test adds.
 */
export async function startIdentityProvider(redirectUri: string) {
  const accounts = new Map<string, IdpAccount>();
  /** The path of every request the provider has answered, in order. */
  const requested: string[] = [];
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server: Server = createServer((req, res) => {
    requested.push(new URL(req.url ?? '/', 'http://idp').pathname);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: IDP_CLIENT_ID,
        client_secret: IDP_CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
    findAccount: async (_ctx, id) => {
      const account = accounts.get(id);
      return account && { accountId: id, claims: async () => ({ sub: id, ...account }) };
    },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['a cookie key for the loopback provider'] },
  });
  handle = provider.callback();
  return {
    issuer,
    accounts,
    requested,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A browser reduced to what the flow needs: one cookie jar per origin, redirects followed by hand. */
export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  private jar(url: URL) {
    const jar = this.jars.get(url.origin) ?? new Map<string, string>();
    this.jars.set(url.origin, jar);
    return jar;
  }

  cookie(origin: string, name: string) {
    return this.jars.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string) {
    this.jar(new URL(origin)).set(name, value);
  }

  async request(target: string | URL, init: { method?: string; form?: Record<string, string> } = {}) {
    const url = new URL(target);
    const jar = this.jar(url);
    const headers: Record<string, string> = { accept: 'text/html' };
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: 'manual',
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(line);
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const location = res.headers.get('location');
    return {
      res,
      status: res.status,
      location: location ? new URL(location, url) : null,
      body: await res.text(),
    };
  }

  /** Follows redirects from a URL until one leads to `stopAt`'s origin and path (not requested), or a page. */
  async follow(start: string | URL, stopAt?: string) {
    let next = await this.request(start);
    for (let hops = 0; next.location && hops < 20; hops++) {
      if (stopAt && next.location.href.startsWith(stopAt)) return next;
      next = await this.request(next.location);
    }
    return next;
  }

  /**
   * Signs in at the provider's development pages as `accountId`, consenting when asked, and returns the
   * redirect to the app's callback (not followed), from the provider's authorization URL.
   */
  async signInAtProvider(authorizationUrl: URL, accountId: string, callbackPrefix: string) {
    let step = await this.follow(authorizationUrl, callbackPrefix);
    for (let round = 0; round < 4; round++) {
      if (step.location?.href.startsWith(callbackPrefix)) return step.location;
      const action = /action="([^"]+)"/.exec(step.body)?.[1];
      if (!action) throw new Error(`no form at the provider: ${step.status} ${step.body.slice(0, 300)}`);
      const base = step.res.url;
      const prompt = /name="prompt" value="([^"]+)"/.exec(step.body)?.[1] ?? 'login';
      const form: Record<string, string> =
        prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt };
      const posted = await this.request(new URL(action, base), { form });
      if (!posted.location)
        throw new Error(`the provider answered ${posted.status}: ${posted.body.slice(0, 300)}`);
      step = posted.location.href.startsWith(callbackPrefix)
        ? posted
        : await this.follow(posted.location, callbackPrefix);
    }
    throw new Error('the provider never sent the browser back');
  }
}
