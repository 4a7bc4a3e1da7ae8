import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_TIMEOUTS } from '../src/http/timeouts.js';

/** The one line a bad setting stops start-up with. */
function failure(env: Record<string, string>, flags = {}): string {
  try {
    loadConfig(env, flags);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('defaults to port 8080 on every interface, PGlite in ./data, no TLS, no proxy, rate limits on, info logs', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: '0.0.0.0',
      database: { engine: 'pglite', dataDir: './data' },
      poolSize: 10,
      tls: null,
      trustProxy: false,
      keyCache: true,
      rateLimit: { perKey: 600, perAddress: 1200 },
      timeouts: { headers: 30_000, request: 120_000, keepAlive: 72_000, connection: 300_000 },
      logLevel: 'info',
      mail: { transport: 'log', from: 'Trellis <no-reply@localhost>' },
      publicUrl: 'http://localhost:8080',
      secureCookies: true,
      webhooks: { inProcessWorker: true, allow: [] },
    });
  });

  it("has the app's own timeouts by default, so that serve and buildApp agree", () => {
    expect(loadConfig({}).timeouts).toEqual(DEFAULT_TIMEOUTS);
  });

  it('reads every setting, and flags win over the environment', () => {
    const config = loadConfig(
      {
        PORT: '3000',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgres://trellis:secret@db.internal:5432/trellis',
        TRELLIS_DATA_DIR: '/ignored/with/postgres',
        TRELLIS_DB_POOL_SIZE: '25',
        TRELLIS_TLS_CERT: '/etc/trellis/cert.pem',
        TRELLIS_TLS_KEY: '/etc/trellis/key.pem',
        TRELLIS_TRUST_PROXY: '10.0.0.0/8, 192.168.1.7, ::1',
        TRELLIS_KEY_CACHE: 'False',
        TRELLIS_RATE_LIMIT_PER_KEY: '120',
        TRELLIS_RATE_LIMIT_PER_ADDRESS: '5000',
        TRELLIS_HEADERS_TIMEOUT: '10',
        TRELLIS_REQUEST_TIMEOUT: '600',
        TRELLIS_KEEP_ALIVE_TIMEOUT: '5',
        TRELLIS_CONNECTION_TIMEOUT: '7200',
        LOG_LEVEL: 'WARN',
        TRELLIS_PUBLIC_URL: 'https://okr.example.com/',
        TRELLIS_SECURE_COOKIES: 'false',
        TRELLIS_WORKER: 'false',
        TRELLIS_WEBHOOK_ALLOW: '127.0.0.0/8, hooks.internal',
        TRELLIS_MAIL_TRANSPORT: 'smtp',
        TRELLIS_MAIL_FROM: 'OKRs <okr@example.com>',
        TRELLIS_SMTP_HOST: 'smtp.example.com',
        TRELLIS_SMTP_PORT: '2525',
        TRELLIS_SMTP_SECURE: 'false',
        TRELLIS_SMTP_USER: 'trellis',
        TRELLIS_SMTP_PASSWORD: 'smtp-secret',
      },
      { port: '4000' },
    );
    expect(config).toEqual({
      port: 4000,
      host: '127.0.0.1',
      database: { engine: 'postgres', url: 'postgres://trellis:secret@db.internal:5432/trellis' },
      poolSize: 25,
      tls: { certPath: '/etc/trellis/cert.pem', keyPath: '/etc/trellis/key.pem' },
      trustProxy: ['10.0.0.0/8', '192.168.1.7', '::1'],
      keyCache: false,
      rateLimit: { perKey: 120, perAddress: 5000 },
      timeouts: { headers: 10_000, request: 600_000, keepAlive: 5_000, connection: 7_200_000 },
      logLevel: 'warn',
      mail: {
        transport: 'smtp',
        from: 'OKRs <okr@example.com>',
        host: 'smtp.example.com',
        port: 2525,
        secure: false,
        user: 'trellis',
        password: 'smtp-secret',
      },
      publicUrl: 'https://okr.example.com',
      secureCookies: false,
      webhooks: { inProcessWorker: false, allow: ['127.0.0.0/8', 'hooks.internal'] },
    });
  });

  it('takes TRELLIS_DATA_DIR for PGlite, true/false for the proxy, and treats blank values as unset', () => {
    const config = loadConfig({
      TRELLIS_DATA_DIR: '/var/lib/trellis',
      TRELLIS_TRUST_PROXY: 'TRUE',
      PORT: ' ',
    });
    expect(config.database).toEqual({ engine: 'pglite', dataDir: '/var/lib/trellis' });
    expect(config.trustProxy).toBe(true);
    expect(config.port).toBe(8080);
    expect(loadConfig({ TRELLIS_TRUST_PROXY: 'loopback' }).trustProxy).toEqual(['loopback']);
  });

  it.each([
    ['off', 'off'],
    ['OFF', '0'],
    ['Off', '000'],
  ])('turns the rate limits off with %s or %s', (perKey, perAddress) => {
    const config = loadConfig({
      TRELLIS_RATE_LIMIT_PER_KEY: perKey,
      TRELLIS_RATE_LIMIT_PER_ADDRESS: perAddress,
    });
    expect(config.rateLimit).toEqual({ perKey: null, perAddress: null });
    expect(loadConfig({ TRELLIS_RATE_LIMIT_PER_KEY: 'off' }).rateLimit).toEqual({
      perKey: null,
      perAddress: 1200,
    });
  });

  it.each([
    [
      { TRELLIS_RATE_LIMIT_PER_KEY: '-5' },
      'TRELLIS_RATE_LIMIT_PER_KEY must be a number of requests a minute from 1 to 1000000, or 0 or off for no limit, got "-5"',
    ],
    [
      { TRELLIS_RATE_LIMIT_PER_KEY: '10/s' },
      'TRELLIS_RATE_LIMIT_PER_KEY must be a number of requests a minute from 1 to 1000000, or 0 or off for no limit, got "10/s"',
    ],
    [
      { TRELLIS_RATE_LIMIT_PER_ADDRESS: 'false' },
      'TRELLIS_RATE_LIMIT_PER_ADDRESS must be a number of requests a minute from 1 to 1000000, or 0 or off for no limit, got "false"',
    ],
    [
      { TRELLIS_RATE_LIMIT_PER_ADDRESS: '1000001' },
      'TRELLIS_RATE_LIMIT_PER_ADDRESS must be a number of requests a minute from 1 to 1000000, or 0 or off for no limit, got "1000001"',
    ],
    [
      { TRELLIS_HEADERS_TIMEOUT: '0' },
      'TRELLIS_HEADERS_TIMEOUT must be a number of seconds from 1 to 3600, got "0"',
    ],
    [
      { TRELLIS_REQUEST_TIMEOUT: '2m' },
      'TRELLIS_REQUEST_TIMEOUT must be a number of seconds from 1 to 3600, got "2m"',
    ],
    [
      { TRELLIS_KEEP_ALIVE_TIMEOUT: '1.5' },
      'TRELLIS_KEEP_ALIVE_TIMEOUT must be a number of seconds from 1 to 3600, got "1.5"',
    ],
    [
      { TRELLIS_CONNECTION_TIMEOUT: '86401' },
      'TRELLIS_CONNECTION_TIMEOUT must be a number of seconds from 1 to 86400, got "86401"',
    ],
    [
      { TRELLIS_HEADERS_TIMEOUT: '60', TRELLIS_REQUEST_TIMEOUT: '30' },
      'TRELLIS_HEADERS_TIMEOUT (60 s) must not exceed TRELLIS_REQUEST_TIMEOUT (30 s)',
    ],
    [{ TRELLIS_KEY_CACHE: 'off' }, 'TRELLIS_KEY_CACHE must be true or false, got "off"'],
    [{ PORT: 'abc' }, 'PORT must be an integer from 1 to 65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT must be an integer from 1 to 65535, got "70000"'],
    [{ PORT: '0' }, 'PORT must be an integer from 1 to 65535, got "0"'],
    [
      { HOST: 'http://localhost:8080' },
      'HOST must be a host name or an IP address (no scheme or port), got "http://localhost:8080"',
    ],
    [
      { DATABASE_URL: 'mysql://root@db/trellis' },
      'DATABASE_URL must be a URL like postgres://user:password@host:5432/database',
    ],
    [
      { DATABASE_URL: 'not a url' },
      'DATABASE_URL must be a URL like postgres://user:password@host:5432/database',
    ],
    [
      { TRELLIS_TLS_CERT: '/cert.pem' },
      'TRELLIS_TLS_CERT and TRELLIS_TLS_KEY must be set together; TRELLIS_TLS_KEY is missing',
    ],
    [
      { TRELLIS_TLS_KEY: '/key.pem' },
      'TRELLIS_TLS_CERT and TRELLIS_TLS_KEY must be set together; TRELLIS_TLS_CERT is missing',
    ],
    [
      { TRELLIS_TRUST_PROXY: 'yes' },
      'TRELLIS_TRUST_PROXY must be true, false or a comma-separated list of IP addresses or CIDR ranges, got "yes"',
    ],
    [
      { TRELLIS_TRUST_PROXY: '10.0.0.0/33' },
      'TRELLIS_TRUST_PROXY must be true, false or a comma-separated list of IP addresses or CIDR ranges, got "10.0.0.0/33"',
    ],
    [
      { TRELLIS_TRUST_PROXY: '2' },
      `TRELLIS_TRUST_PROXY takes true, false or the proxies' addresses/CIDR ranges, not a hop count, got "2"`,
    ],
    [{ TRELLIS_DB_POOL_SIZE: '-1' }, 'TRELLIS_DB_POOL_SIZE must be an integer from 1 to 1000, got "-1"'],
    [{ TRELLIS_MAIL_TRANSPORT: 'sendmail' }, 'TRELLIS_MAIL_TRANSPORT must be log or smtp, got "sendmail"'],
    [{ TRELLIS_MAIL_TRANSPORT: 'smtp' }, 'TRELLIS_SMTP_HOST must be set when TRELLIS_MAIL_TRANSPORT is smtp'],
    [
      { TRELLIS_MAIL_TRANSPORT: 'smtp', TRELLIS_SMTP_HOST: 'smtp.example.com', TRELLIS_SMTP_USER: 'me' },
      'TRELLIS_SMTP_USER and TRELLIS_SMTP_PASSWORD must be set together',
    ],
    [
      { TRELLIS_PUBLIC_URL: 'okr.example.com' },
      'TRELLIS_PUBLIC_URL must be an http(s) URL like https://okr.example.com, got "okr.example.com"',
    ],
    [{ TRELLIS_SECURE_COOKIES: 'no' }, 'TRELLIS_SECURE_COOKIES must be true or false, got "no"'],
    [
      { LOG_LEVEL: 'verbose' },
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    ],
  ])('refuses %j with one line that names the setting', (env, message) => {
    const line = failure(env);
    expect(line).toBe(message);
    expect(line).not.toContain('\n');
  });

  it('names the flag, not the variable, when a flag is wrong', () => {
    expect(failure({ PORT: '3000' }, { port: 'x' })).toBe(
      '--port must be an integer from 1 to 65535, got "x"',
    );
  });

  it('never repeats a database URL, which usually holds a password', () => {
    expect(failure({ DATABASE_URL: 'mysql://admin:hunter2@db/trellis' })).not.toContain('hunter2');
  });
});

describe('the documented configuration', () => {
  const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
  /** Every variable src/config.ts reads, by the names it reads them under. */
  const variables = [
    ...new Set(
      [...read('../src/config.ts').matchAll(/'([A-Z][A-Z_]+)'|env\.([A-Z_]+)/g)].map(
        ([, quoted, fromEnv]) => quoted ?? fromEnv ?? '',
      ),
    ),
  ];

  it("has a row for every variable in the README's table, with its default", () => {
    const readme = read('../README.md');
    const defaults = loadConfig({});
    expect(variables.length).toBeGreaterThan(15);
    for (const name of variables) expect(readme, name).toMatch(new RegExp(`^\\| \`${name}\`\\s*\\|`, 'm'));
    const row = (name: string) => new RegExp(`^\\| \`${name}\`\\s*\\| \`([^\`]+)\``, 'm').exec(readme)?.[1];
    expect(Number(row('TRELLIS_RATE_LIMIT_PER_KEY'))).toBe(defaults.rateLimit.perKey);
    expect(Number(row('TRELLIS_RATE_LIMIT_PER_ADDRESS'))).toBe(defaults.rateLimit.perAddress);
    expect(Number(row('TRELLIS_HEADERS_TIMEOUT')) * 1000).toBe(defaults.timeouts.headers);
    expect(Number(row('TRELLIS_REQUEST_TIMEOUT')) * 1000).toBe(defaults.timeouts.request);
    expect(Number(row('TRELLIS_KEEP_ALIVE_TIMEOUT')) * 1000).toBe(defaults.timeouts.keepAlive);
    expect(Number(row('TRELLIS_CONNECTION_TIMEOUT')) * 1000).toBe(defaults.timeouts.connection);
  });

  it('names every rate limit and timeout setting in docs/limits.md', () => {
    const limits = read('../docs/limits.md');
    const names = variables.filter((name) => /RATE_LIMIT|TIMEOUT/.test(name));
    expect(names).toHaveLength(6);
    for (const name of names) expect(limits, name).toContain(`\`${name}\``);
  });
});
