// The local server's guard against web pages, one rule at a time (the probes through a real server
// are in test/hostile/hostile-pages.test.ts).

import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  checkHost,
  checkJsonBody,
  checkOrigin,
  hostnameOf,
  isJsonType,
  isLoopback,
  isWildcard,
  normaliseHost,
  normaliseOrigin,
  reachableHosts,
  SAFE_METHODS,
} from '../../lambdas/local/request-guard.js';

describe('bound addresses', () => {
  it.each([
    ['127.0.0.1'],
    ['127.1.2.3'],
    ['localhost'],
    ['LOCALHOST'],
    ['::1'],
    ['[::1]'],
    ['0:0:0:0:0:0:0:1'],
  ])('%s is loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
  });

  it.each([
    ['::'],
    ['[::]'],
    ['0.0.0.0'],
    ['::ffff:0.0.0.0'],
    ['0'],
    ['192.168.1.10'],
    ['10.0.0.5'],
    ['128.0.0.1'],
    ['127.0.0.1.evil.example'],
    ['localhost.evil.example'],
    ['fe80::1'],
  ])('%s is not loopback', (host) => {
    expect(isLoopback(host)).toBe(false);
  });

  it('knows every wildcard form, and no specific address as one', () => {
    for (const host of ['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0', '::ffff:0.0.0.0', '0', '']) {
      expect(isWildcard(host), host).toBe(true);
    }
    for (const host of ['127.0.0.1', '::1', '192.168.1.10', 'localhost', '0.0.0.1']) {
      expect(isWildcard(host), host).toBe(false);
    }
  });

  it('normalises names and addresses as a Host header compares them', () => {
    expect(normaliseHost('[::1]')).toBe('::1');
    expect(normaliseHost('0:0:0:0:0:0:0:1')).toBe('::1');
    // An IPv6 address with a zone (a link-local name URL cannot hold) is kept as given.
    expect(normaliseHost('[FE80::1%eth0]')).toBe('fe80::1%eth0');
    expect(normaliseHost('Tfdrift.Internal.')).toBe('tfdrift.internal');
    expect(normaliseHost(' 127.0.0.1 ')).toBe('127.0.0.1');
  });
});

describe('reachable host names', () => {
  const interfaces = () => ['127.0.0.1', '192.168.1.10', 'fe80::1'];

  it('on loopback: the address and the loopback names, nothing else', () => {
    expect([...reachableHosts('127.0.0.1', [], interfaces)].sort()).toEqual([
      '127.0.0.1',
      '::1',
      'localhost',
    ]);
  });

  it('on a specific address: that address only, plus allowed names', () => {
    expect([...reachableHosts('192.168.1.10', ['Drift.Example.com'], interfaces)].sort()).toEqual([
      '192.168.1.10',
      'drift.example.com',
    ]);
  });

  it('on a wildcard: every interface address and the loopback names', () => {
    expect([...reachableHosts('0.0.0.0', [], interfaces)].sort()).toEqual([
      '127.0.0.1',
      '192.168.1.10',
      '::1',
      'fe80::1',
      'localhost',
    ]);
  });

  it('reads the host name out of a Host header, and refuses what is not one', () => {
    expect(hostnameOf('localhost:8080')).toBe('localhost');
    expect(hostnameOf('[::1]:8080')).toBe('::1');
    expect(hostnameOf('EVIL.example')).toBe('evil.example');
    expect(hostnameOf(undefined)).toBeNull();
    expect(hostnameOf('')).toBeNull();
    expect(hostnameOf('user@localhost')).toBeNull();
    expect(hostnameOf('localhost/evil')).toBeNull();
    expect(hostnameOf('local host')).toBeNull();
  });

  it('refuses a missing or foreign Host with forbidden_host', () => {
    const allowed = new Set(['127.0.0.1', 'localhost']);
    expect(checkHost({ host: 'localhost:1' }, allowed)).toBeNull();
    expect(checkHost({ host: 'evil.example:1' }, allowed)).toMatchObject({
      status: 403,
      code: 'forbidden_host',
    });
    expect(checkHost({}, allowed)).toMatchObject({ status: 403, code: 'forbidden_host' });
  });
});

describe('origins', () => {
  const none = new Set<string>();

  it('accepts the own origin, on either scheme behind a proxy', () => {
    expect(checkOrigin({ host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' }, none)).toBeNull();
    expect(checkOrigin({ host: 'drift.example.com', origin: 'https://drift.example.com' }, none)).toBeNull();
  });

  it('accepts no Origin unless the browser says the request crosses sites', () => {
    expect(checkOrigin({ host: 'localhost:1' }, none)).toBeNull();
    expect(checkOrigin({ host: 'localhost:1', 'sec-fetch-site': 'same-origin' }, none)).toBeNull();
    expect(checkOrigin({ host: 'localhost:1', 'sec-fetch-site': 'none' }, none)).toBeNull();
    for (const site of ['cross-site', 'same-site']) {
      expect(checkOrigin({ host: 'localhost:1', 'sec-fetch-site': site }, none)).toMatchObject({
        status: 403,
        code: 'forbidden_origin',
      });
    }
  });

  it.each([
    ['a foreign site', 'https://evil.example'],
    ['another port', 'http://127.0.0.1:9999'],
    ['an opaque origin', 'null'],
    ['a non-web scheme', 'file://'],
    ['garbage', '::::'],
  ])('refuses %s', (_name, origin) => {
    expect(checkOrigin({ host: '127.0.0.1:8080', origin }, none)).toMatchObject({
      status: 403,
      code: 'forbidden_origin',
    });
  });

  it('accepts a configured origin, compared in its normal form', () => {
    const allowed = new Set([normaliseOrigin('HTTPS://Drift.Example.com:443/')!]);
    expect([...allowed]).toEqual(['https://drift.example.com']);
    expect(checkOrigin({ host: '127.0.0.1:8080', origin: 'https://drift.example.com' }, allowed)).toBeNull();
    expect(
      checkOrigin({ host: '127.0.0.1:8080', origin: 'https://drift.example.org' }, allowed),
    ).not.toBeNull();
  });

  it('knows which origins are web origins', () => {
    expect(normaliseOrigin('http://localhost:8080')).toBe('http://localhost:8080');
    expect(normaliseOrigin('ftp://example.com')).toBeNull();
    expect(normaliseOrigin('null')).toBeNull();
  });
});

describe('JSON writes', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    ['application/vnd.tfdrift+json', true],
    ['application/problem+json; charset=utf-8', true],
    ['text/plain', false],
    ['text/plain;charset=UTF-8', false],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    ['application/jsonp', false],
    ['text/json', false],
    ['application/json-seq', false],
    ['', false],
    [undefined, false],
  ])('%s is JSON: %s', (type, json) => {
    expect(isJsonType(type)).toBe(json);
    expect(checkJsonBody(type === undefined ? {} : { 'content-type': type })).toEqual(
      json ? null : expect.objectContaining({ status: 415, code: 'unsupported_media_type' }),
    );
  });
});

describe('details the mutation run asked about', () => {
  it('tells which host it refused, cut to 100 characters, and how to allow one', () => {
    const refusal = checkHost({ host: 'evil.example:1' }, new Set());
    expect(refusal?.message).toBe(
      'this server does not answer to the host "evil.example:1": start it with --allow-host NAME to allow a name',
    );
    expect(checkHost({}, new Set())?.message).toContain('the host ""');
    const long = checkHost({ host: 'a'.repeat(300) }, new Set())?.message ?? '';
    expect(long).toContain(`"${'a'.repeat(100)}"`);
    expect(long).not.toContain('a'.repeat(101));
  });

  it('tells which origin or fetch site it refused, cut short, and how to allow one', () => {
    const none = new Set<string>();
    const advice =
      'this server accepts writes and the live feed only from its own pages (start it with --allow-origin ORIGIN to allow another)';
    expect(checkOrigin({ host: 'h:1', origin: 'https://evil.example' }, none)?.message).toBe(
      `the origin https://evil.example: ${advice}`,
    );
    expect(checkOrigin({ host: 'h:1', origin: 'null' }, none)?.message).toBe(`the origin "null": ${advice}`);
    expect(checkOrigin({ host: 'h:1', 'sec-fetch-site': 'cross-site' }, none)?.message).toBe(
      `a cross-site request: ${advice}`,
    );
    const longSite = checkOrigin({ host: 'h:1', 'sec-fetch-site': 'x'.repeat(50) }, none)?.message ?? '';
    expect(longSite).toContain(`a ${'x'.repeat(20)} request`);
    expect(longSite).not.toContain('x'.repeat(21));
    const longOrigin = checkOrigin({ host: 'h:1', origin: `z${'y'.repeat(300)}` }, none)?.message ?? '';
    expect(longOrigin).toContain(`"z${'y'.repeat(99)}"`);
    expect(longOrigin).not.toContain('y'.repeat(100));
    expect(checkJsonBody({})?.message).toBe('writes take JSON: send Content-Type: application/json');
  });

  it('never takes a missing Host for the origin "undefined"', () => {
    expect(checkOrigin({ origin: 'http://undefined' }, new Set())).toMatchObject({
      code: 'forbidden_origin',
    });
  });

  it('anchors the JSON type and trims it', () => {
    expect(isJsonType('application/json ; charset=utf-8')).toBe(true);
    expect(isJsonType(' application/vnd.x+json')).toBe(true);
    expect(isJsonType('xapplication/vnd.x+json')).toBe(false);
    expect(isJsonType('application/vnd.x+jsonx')).toBe(false);
  });

  it('strips only the brackets around a whole address', () => {
    expect(normaliseHost('a[b]')).toBe('a[b]');
    expect(normaliseHost('[a]b')).toBe('[a]b');
  });

  it('knows every 127.x.y.z, with octets of one to three digits, as loopback, and nothing around it', () => {
    for (const host of ['127.10.0.1', '127.0.10.1', '127.0.0.10', '127.100.200.250']) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ['a127.0.0.1', '127.0.0.1a', '127.1000.0.1', '127.0.0']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });

  it('allows no extra name unless told, and on a wildcard every address of this machine', () => {
    expect([...reachableHosts('127.0.0.1')].sort()).toEqual(['127.0.0.1', '::1', 'localhost']);
    const machine = Object.values(networkInterfaces())
      .flat()
      .map((entry) => normaliseHost(entry?.address ?? ''));
    const wildcard = reachableHosts('0.0.0.0');
    for (const address of machine) expect(wildcard.has(address), address).toBe(true);
    expect(wildcard.has('localhost')).toBe(true);
    expect(wildcard.has('')).toBe(false);
  });

  it('reads no host name out of a Host header with a bad port', () => {
    expect(hostnameOf('a:b:c')).toBeNull();
    expect(hostnameOf('localhost:99999')).toBeNull();
  });

  it('treats only GET, HEAD and OPTIONS as requests that change nothing', () => {
    expect([...SAFE_METHODS].sort()).toEqual(['GET', 'HEAD', 'OPTIONS']);
  });
});
