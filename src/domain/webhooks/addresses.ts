import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors.js';

/**
 * Where outbound webhooks may not go (SSRF): this server's own machine, private networks, link-local and
 * cloud metadata addresses, and addresses that are no single host. An admin allow-list
 * (TRELLIS_WEBHOOK_ALLOW) may name some of them, except the metadata addresses, which nothing unlocks.
 */
const REFUSED: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network", unspecified
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];
const METADATA = ['169.254.169.254', 'fd00:ec2::254'];

const refusedRanges = new BlockList();
for (const [network, prefix, family] of REFUSED) refusedRanges.addSubnet(network, prefix, family);
const metadata = new BlockList();
for (const address of METADATA) metadata.addAddress(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** The admin's exceptions: addresses and CIDRs, and host names allowed whatever they resolve to. */
export interface AddressAllowList {
  ranges: BlockList;
  hosts: ReadonlySet<string>;
}

export const NO_EXCEPTIONS: AddressAllowList = { ranges: new BlockList(), hosts: new Set() };

/** `10.0.0.0/8, 127.0.0.1, hooks.internal` → the allow-list; a malformed CIDR is a startup error. */
export function parseAllowList(entries: readonly string[]): AddressAllowList {
  const ranges = new BlockList();
  const hosts = new Set<string>();
  for (const raw of entries.map((e) => e.trim().toLowerCase()).filter(Boolean)) {
    const [network = '', prefix] = raw.replace(/^\[|\]$/g, '').split('/');
    const family = isIP(network);
    if (family === 0 && prefix === undefined) hosts.add(raw);
    else if (family === 0) throw new Error(`TRELLIS_WEBHOOK_ALLOW: "${raw}" is neither a host nor a CIDR`);
    else ranges.addSubnet(network, Number(prefix ?? (family === 4 ? 32 : 128)), familyOf(network));
  }
  return { ranges, hosts };
}

/** Why a connection to this address is refused, or null when it may be made. */
export function refusedAddress(address: string, host: string, allow: AddressAllowList): string | null {
  const family = familyOf(address);
  if (metadata.check(address, family)) return `${address} is a cloud metadata address`;
  if (!refusedRanges.check(address, family)) return null;
  if (allow.hosts.has(host.toLowerCase()) || allow.ranges.check(address, family)) return null;
  return `${address} is a loopback, private, link-local or non-unicast address`;
}

/** The URL's host as a connection names it: IPv6 literals without their brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

const isAllowedHost = (host: string, allow: AddressAllowList) =>
  allow.hosts.has(host.toLowerCase()) ||
  (isIP(host) !== 0 && allow.ranges.check(host, familyOf(host)) && !metadata.check(host, familyOf(host)));

const refusedUrl = (why: string) => new AppError('invalid_endpoint_url', why);

/**
 * Checks an endpoint's URL when it is saved: https only (http only to a host the allow-list names, such as a
 * receiver on this machine in tests), no credentials in it, and no refused address literal or `localhost`.
 * Names are resolved at connect time instead (jobs/outbound-http.ts), where a rebinding cannot slip past.
 */
export function checkEndpointUrl(raw: string, allow: AddressAllowList): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refusedUrl('The URL is not an absolute URL.');
  }
  const host = hostOf(url);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isAllowedHost(host, allow))) {
    throw refusedUrl('The URL must be https (http only to a host the allow-list names).');
  }
  if (url.username || url.password) throw refusedUrl('The URL may not carry a user name or password.');
  if (host === 'localhost' || host.endsWith('.localhost')) {
    if (!allow.hosts.has(host)) throw refusedUrl('localhost is not a webhook destination.');
  }
  const why = isIP(host) !== 0 ? refusedAddress(host, host, allow) : null;
  if (why) throw refusedUrl(`The URL points at ${why}.`);
  return url.toString();
}
