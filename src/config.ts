import { isIP } from 'node:net';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type DatabaseConfig = { engine: 'pglite'; dataDir: string } | { engine: 'postgres'; url: string };

/** Everything the server and the CLI need from outside; built once by loadConfig, read-only after. */
export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** Pool size per process on PostgreSQL; PGlite is always one connection. */
  poolSize: number;
  /** Paths of a PEM certificate and key: both set means HTTPS is served directly. */
  tls: { certPath: string; keyPath: string } | null;
  /** Fastify's trustProxy: off, on, or the addresses/CIDR ranges of the trusted proxies. */
  trustProxy: boolean | string[];
  /** Cache who each key belongs to (forgotten on the database's notices); off behind a transaction pooler. */
  keyCache: boolean;
  /** Requests a minute each API key and each client address may make; null where the limit is off. */
  rateLimit: { perKey: number | null; perAddress: number | null };
  /** How long the server waits on a client, in milliseconds (docs/limits.md). */
  timeouts: { headers: number; request: number; keepAlive: number; connection: number };
  logLevel: LogLevel;
  /** How sign-in mail leaves (docs/operations.md): logged in development, or over SMTP. */
  mail: MailConfig;
  /** The address people reach the server at: the links in invitation and reset mail start with it. */
  publicUrl: string;
  /** Whether the session cookie is Secure and `__Host-` prefixed; false only for plain http off loopback. */
  secureCookies: boolean;
  /** Outbound webhooks (docs/webhooks.md): whether `serve` runs the worker in-process, and refused destinations allowed. */
  webhooks: { inProcessWorker: boolean; allow: string[] };
}

export type MailConfig =
  | { transport: 'log'; from: string }
  | {
      transport: 'smtp';
      from: string;
      host: string;
      port: number;
      /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it. */
      secure: boolean;
      user: string | null;
      password: string | null;
    };

/** Command-line flags that override the environment (serve --port, --host). */
export interface ConfigFlags {
  port?: string | undefined;
  host?: string | undefined;
}

/** Bad configuration: the message is one line that names the setting, what it must be and what it got. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads the configuration from an environment (and flags); pure, so that every case is testable. */
export function loadConfig(env: Env, flags: ConfigFlags = {}): Config {
  const setting = (name: string, flag?: string) =>
    flag !== undefined
      ? { name: `--${name.toLowerCase()}`, raw: flag }
      : { name, raw: blankToUndefined(env[name]) };
  return {
    port: parsePort(setting('PORT', flags.port)),
    host: parseHost(setting('HOST', flags.host)),
    database: parseDatabase(env),
    poolSize: parseInteger(
      { name: 'TRELLIS_DB_POOL_SIZE', raw: blankToUndefined(env.TRELLIS_DB_POOL_SIZE) },
      1,
      1000,
      10,
    ),
    tls: parseTls(env),
    trustProxy: parseTrustProxy(blankToUndefined(env.TRELLIS_TRUST_PROXY)),
    keyCache: parseSwitch({ name: 'TRELLIS_KEY_CACHE', raw: blankToUndefined(env.TRELLIS_KEY_CACHE) }, true),
    rateLimit: {
      perKey: parseRateLimit(setting('TRELLIS_RATE_LIMIT_PER_KEY'), 600),
      perAddress: parseRateLimit(setting('TRELLIS_RATE_LIMIT_PER_ADDRESS'), 1200),
    },
    timeouts: parseTimeouts(setting),
    logLevel: parseLogLevel(blankToUndefined(env.LOG_LEVEL)),
    mail: parseMail(env),
    publicUrl: parsePublicUrl(env, flags),
    secureCookies: parseSwitch(
      { name: 'TRELLIS_SECURE_COOKIES', raw: blankToUndefined(env.TRELLIS_SECURE_COOKIES) },
      true,
    ),
    webhooks: {
      inProcessWorker: parseSwitch(
        { name: 'TRELLIS_WORKER', raw: blankToUndefined(env.TRELLIS_WORKER) },
        true,
      ),
      // Hosts and CIDR ranges; src/domain/webhooks/addresses.ts parses them when the server starts.
      allow: (blankToUndefined(env.TRELLIS_WEBHOOK_ALLOW) ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    },
  };
}

interface Setting {
  name: string;
  raw: string | undefined;
}

const blankToUndefined = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
const shown = (raw: string) => JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);

function parseInteger({ name, raw }: Setting, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${shown(raw)}`);
  }
  return value;
}

function parsePort(s: Setting): number {
  return parseInteger(s, 1, 65535, 8080);
}

function parseHost({ name, raw }: Setting): string {
  if (raw === undefined) return '0.0.0.0';
  // A host name or an address; anything with a scheme, port or path is a common mix-up worth naming.
  if (isIP(raw) || /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/.test(raw)) return raw;
  throw new ConfigError(
    `${name} must be a host name or an IP address (no scheme or port), got ${shown(raw)}`,
  );
}

function parseDatabase(env: Env): DatabaseConfig {
  const url = blankToUndefined(env.DATABASE_URL);
  if (url === undefined)
    return { engine: 'pglite', dataDir: blankToUndefined(env.TRELLIS_DATA_DIR) ?? './data' };
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  // The URL is never echoed back: it usually holds a password.
  if (!parsed || !['postgres:', 'postgresql:'].includes(parsed.protocol) || !parsed.hostname) {
    throw new ConfigError('DATABASE_URL must be a URL like postgres://user:password@host:5432/database');
  }
  return { engine: 'postgres', url };
}

function parseTls(env: Env): Config['tls'] {
  const certPath = blankToUndefined(env.TRELLIS_TLS_CERT);
  const keyPath = blankToUndefined(env.TRELLIS_TLS_KEY);
  if (certPath && keyPath) return { certPath, keyPath };
  if (certPath || keyPath) {
    const missing = certPath ? 'TRELLIS_TLS_KEY' : 'TRELLIS_TLS_CERT';
    throw new ConfigError(`TRELLIS_TLS_CERT and TRELLIS_TLS_KEY must be set together; ${missing} is missing`);
  }
  return null;
}

/** proxy-addr's named ranges, accepted as Fastify accepts them. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function parseSwitch({ name, raw }: Setting, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase();
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ConfigError(`${name} must be true or false, got ${shown(raw)}`);
}

function parseTrustProxy(raw: string | undefined): Config['trustProxy'] {
  if (raw === undefined) return false;
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  // Fastify 5 treats a hop count as "trust nobody" (it cannot check the peer), so refuse it plainly.
  if (/^\d+$/.test(raw)) {
    throw new ConfigError(
      `TRELLIS_TRUST_PROXY takes true, false or the proxies' addresses/CIDR ranges, not a hop count, got ${shown(raw)}`,
    );
  }
  const entries = raw.split(',').map((e) => e.trim());
  if (entries.every(isAddressOrRange)) return entries;
  throw new ConfigError(
    `TRELLIS_TRUST_PROXY must be true, false or a comma-separated list of IP addresses or CIDR ranges, got ${shown(raw)}`,
  );
}

/** Requests a minute: a positive integer, or 0 / off for no limit. */
function parseRateLimit({ name, raw }: Setting, fallback: number): number | null {
  if (raw === undefined) return fallback;
  if (raw.toLowerCase() === 'off') return null;
  const value = Number(raw);
  if (/^\d+$/.test(raw) && value <= 1_000_000) return value || null;
  throw new ConfigError(
    `${name} must be a number of requests a minute from 1 to 1000000, or 0 or off for no limit, got ${shown(raw)}`,
  );
}

/** A timeout, read in whole seconds and kept in milliseconds. */
function parseSeconds({ name, raw }: Setting, max: number, fallback: number): number {
  if (raw === undefined) return fallback * 1000;
  const value = Number(raw);
  if (/^\d+$/.test(raw) && value >= 1 && value <= max) return value * 1000;
  throw new ConfigError(`${name} must be a number of seconds from 1 to ${max}, got ${shown(raw)}`);
}

/** The server's timeouts; the whole request cannot be due before its headers are. */
function parseTimeouts(setting: (name: string) => Setting): Config['timeouts'] {
  const timeouts = {
    headers: parseSeconds(setting('TRELLIS_HEADERS_TIMEOUT'), 3600, 30),
    request: parseSeconds(setting('TRELLIS_REQUEST_TIMEOUT'), 3600, 120),
    keepAlive: parseSeconds(setting('TRELLIS_KEEP_ALIVE_TIMEOUT'), 3600, 72),
    connection: parseSeconds(setting('TRELLIS_CONNECTION_TIMEOUT'), 86_400, 300),
  };
  if (timeouts.headers > timeouts.request) {
    throw new ConfigError(
      `TRELLIS_HEADERS_TIMEOUT (${timeouts.headers / 1000} s) must not exceed TRELLIS_REQUEST_TIMEOUT (${timeouts.request / 1000} s)`,
    );
  }
  return timeouts;
}

function parseLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined) return 'info';
  const level = LOG_LEVELS.find((l) => l === raw.toLowerCase());
  if (level) return level;
  throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${shown(raw)}`);
}

function parseMail(env: Env): MailConfig {
  const from = blankToUndefined(env.TRELLIS_MAIL_FROM) ?? 'Trellis <no-reply@localhost>';
  const transport = blankToUndefined(env.TRELLIS_MAIL_TRANSPORT)?.toLowerCase() ?? 'log';
  if (transport === 'log') return { transport, from };
  if (transport !== 'smtp')
    throw new ConfigError(`TRELLIS_MAIL_TRANSPORT must be log or smtp, got ${shown(transport)}`);
  const host = parseHost({ name: 'TRELLIS_SMTP_HOST', raw: blankToUndefined(env.TRELLIS_SMTP_HOST) });
  if (!blankToUndefined(env.TRELLIS_SMTP_HOST))
    throw new ConfigError('TRELLIS_SMTP_HOST must be set when TRELLIS_MAIL_TRANSPORT is smtp');
  const secure = parseSwitch(
    { name: 'TRELLIS_SMTP_SECURE', raw: blankToUndefined(env.TRELLIS_SMTP_SECURE) },
    false,
  );
  const port = parseInteger(
    { name: 'TRELLIS_SMTP_PORT', raw: blankToUndefined(env.TRELLIS_SMTP_PORT) },
    1,
    65535,
    secure ? 465 : 587,
  );
  // The password is never echoed back, not even in an error.
  const user = blankToUndefined(env.TRELLIS_SMTP_USER) ?? null;
  const password = blankToUndefined(env.TRELLIS_SMTP_PASSWORD) ?? null;
  if (Boolean(user) !== Boolean(password))
    throw new ConfigError('TRELLIS_SMTP_USER and TRELLIS_SMTP_PASSWORD must be set together');
  return { transport: 'smtp', from, host, port, secure, user, password };
}

function parsePublicUrl(env: Env, flags: ConfigFlags): string {
  const raw = blankToUndefined(env.TRELLIS_PUBLIC_URL);
  if (raw === undefined) {
    const port = flags.port ?? blankToUndefined(env.PORT) ?? '8080';
    return `http://localhost:${port}`;
  }
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username)
    throw new ConfigError(
      `TRELLIS_PUBLIC_URL must be an http(s) URL like https://okr.example.com, got ${shown(raw)}`,
    );
  return raw.replace(/\/+$/, '');
}
