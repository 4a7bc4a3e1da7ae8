// The rules of single sign-on, once (docs/sso.md): pure functions the settings and the flow both call.

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** An http issuer is accepted on loopback only (a provider run beside the server, as tests do). */
export const isLoopbackHttp = (url: URL) => url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);

/** Why an issuer URL cannot be used, or null: https (http on loopback only), no credentials, query or fragment. */
export function issuerProblem(issuer: string): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'issuer_url must be an absolute URL.';
  }
  if (url.protocol !== 'https:' && !isLoopbackHttp(url))
    return 'issuer_url must use https (http is accepted for loopback addresses only).';
  if (url.username || url.password || url.search || url.hash)
    return 'issuer_url must not carry credentials, a query or a fragment.';
  return null;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The allowed email domains, lower-cased and without duplicates; throws the first that is not a domain name. */
export function normalizeDomains(domains: readonly string[]): { domains: string[]; problem: string | null } {
  const out = [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, '')))];
  const bad = out.find((d) => !DOMAIN.test(d));
  return { domains: out, problem: bad === undefined ? null : `"${bad}" is not a domain name.` };
}

/** The email's domain is one of the allowed ones (none listed: any). */
export function emailInDomains(email: string, domains: readonly string[]): boolean {
  if (domains.length === 0) return true;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domains.includes(domain);
}

/**
 * Where a browser may land after signing in: a path on this server, never another site. `//evil`,
 * `/\evil` and anything not starting with one slash fall back to the account page.
 */
export function safeReturnTo(path: string | undefined, fallback = '/auth/account'): string {
  if (!path || path.length > 1000 || !path.startsWith('/') || path.startsWith('//')) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\\\u0000-\u001f\u007f]/.test(path)) return fallback;
  return path;
}

/**
 * Whether a person may sign in with a password: always, unless their organisation signs its people in
 * through its provider only; then admins keep their password, a way in when the provider fails.
 */
export const passwordSignInAllowed = (role: string, ssoOnly: boolean) =>
  !ssoOnly || role === 'super_admin' || role === 'admin';
