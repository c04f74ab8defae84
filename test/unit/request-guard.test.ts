// The local server's guard against web pages, one rule at a time (the probes through a real server
// are in test/hostile/hostile-pages.test.ts).

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
