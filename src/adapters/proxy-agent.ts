import type { Agent } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { ProxySection } from '../config/sections.ts';
import { isLoopbackHost } from '../loopback.ts';

/** One agent per proxy, shared by every client that goes through it (its idle connections are kept for reuse). */
const agents = new Map<string, Agent>();

const defaultPort = (protocol: string) => (protocol === 'https:' ? '443' : '80');

/** `host` as NO_PROXY compares it: lower case, IPv6 without brackets. */
const bare = (host: string) => host.toLowerCase().replace(/^\[(.*)\]$/, '$1');

/**
 * Whether one NO_PROXY entry covers the URL, as curl reads them: `*` is every host; a name
 * covers itself and its subdomains (`example.com` and `.example.com` alike); an address or a
 * range (`10.0.0.0/8`) covers the addresses in it; `:port` limits an entry to that port.
 */
function covers(entry: string, url: URL): boolean {
  if (entry === '*') return true;
  const host = bare(url.hostname);
  const port = url.port || defaultPort(url.protocol);
  const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
  if (withPort && withPort[2] !== port) return false;
  const name = bare(withPort ? (withPort[1] as string) : entry).replace(/^\*?\./, '');
  const range = /^(.+)\/(\d{1,3})$/.exec(name);
  if (range && isIP(range[1] as string) && isIP(host)) {
    const family = isIP(range[1] as string) === 6 ? 'ipv6' : 'ipv4';
    const list = new BlockList();
    try {
      list.addSubnet(range[1] as string, Number(range[2]), family);
    } catch {
      return false; // a prefix too long for its family: covers nothing
    }
    return isIP(host) === (family === 'ipv6' ? 6 : 4) && list.check(host, family);
  }
  return host === name || host.endsWith(`.${name}`);
}

/**
 * The proxy a request to `url` goes through, or undefined to go directly: HTTPS_PROXY for https
 * URLs, HTTP_PROXY for plain http ones, never for loopback (a proxy elsewhere would reach its own
 * loopback, not this machine's) nor for a host NO_PROXY covers.
 */
export function proxyFor(url: string, proxy: ProxySection | undefined): string | undefined {
  if (!proxy) return undefined;
  const u = new URL(url);
  const via = u.protocol === 'https:' ? proxy.https : u.protocol === 'http:' ? proxy.http : undefined;
  if (!via || isLoopbackHost(u.hostname) || proxy.noProxy.some((entry) => covers(entry, u))) return undefined;
  return via;
}

/**
 * The agent that takes a request to `url` through its proxy, or undefined to go directly. The
 * proxy is asked to open a tunnel (CONNECT host:port) also for plain http, as undici's ProxyAgent
 * does: the request travels through it unchanged.
 */
export function proxyAgent(url: string, proxy: ProxySection | undefined): Agent | undefined {
  const via = proxyFor(url, proxy);
  if (!via) return undefined;
  let agent = agents.get(via);
  if (!agent) agents.set(via, (agent = new HttpsProxyAgent(via, { keepAlive: true })));
  return agent;
}

/** A proxy URL without its user and password, for a log line. */
export function shownProxy(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}
