import { BlockList, isIP, isIPv6 } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Loopback only: 127.0.0.0/8, ::1 (also written out or IPv4-mapped) and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  return isIP(h) !== 0 && LOOPBACK.check(h, isIPv6(h) ? 'ipv6' : 'ipv4');
}

/** A plain-http URL to a host other than this machine: a token sent there crosses the network in the clear. */
export function isPlainHttpElsewhere(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && !isLoopbackHost(u.hostname);
}
