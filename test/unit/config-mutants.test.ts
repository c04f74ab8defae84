// The detection config (lambdas/core/config.ts): globs and the checks on tfdrift.yaml that a
// mutation run found untested (npx stryker run --mutate lambdas/core/config.ts).

import { describe, expect, it } from 'vitest';
import {
  anyGlob,
  DEFAULT_CONFIG,
  globMatch,
  parseConfig,
  withIgnoredPrincipals,
} from '../../lambdas/core/config.js';
import { ConfigError, InputError, RuleError, StateError } from '../../lambdas/core/errors.js';

describe('globMatch', () => {
  it('* is any run, ? one character, everything else literal, the whole value', () => {
    expect(globMatch('arn:aws:iam::*:user/ci-?', 'arn:aws:iam::111122223333:user/ci-1')).toBe(true);
    expect(globMatch('arn:aws:iam::*:user/ci-?', 'arn:aws:iam::111122223333:user/ci-12')).toBe(false);
    expect(globMatch('a.b', 'axb')).toBe(false);
    expect(globMatch('a.b', 'a.b')).toBe(true);
    expect(globMatch('(x)+[y]{2}|^$\\', '(x)+[y]{2}|^$\\')).toBe(true);
    expect(globMatch('role', 'my-role')).toBe(false);
    expect(globMatch('role', 'role-x')).toBe(false);
    expect(globMatch('*', 'line\nbreak')).toBe(true);
  });

  it('anyGlob returns the first glob any present value matches', () => {
    expect(anyGlob(['b*', 'a*'], null, undefined, '', 'abc', 'bcd')).toBe('b*');
    expect(anyGlob(['x*'], 'abc')).toBeUndefined();
    expect(anyGlob(['*'], null, '')).toBeUndefined();
  });
});

describe('parseConfig', () => {
  it('an empty config is the default; a config that is not a mapping is refused', () => {
    expect(parseConfig(null)).toBe(DEFAULT_CONFIG);
    expect(parseConfig(undefined)).toBe(DEFAULT_CONFIG);
    expect(() => parseConfig([], 'f.yaml')).toThrowError('f.yaml: must be a mapping');
    expect(() => parseConfig('x', 'f.yaml')).toThrowError('f.yaml: must be a mapping');
  });

  it('the default config ignores nothing and overrides nothing', () => {
    expect(DEFAULT_CONFIG).toEqual({
      ignorePrincipals: [],
      terraformPrincipals: [],
      ignoreResources: [],
      ignoreAttributes: [],
      ignoreEvents: [],
      severityOverrides: {},
    });
  });

  it('names the config in messages ("config" unless told) and each ignore list', () => {
    expect(() => parseConfig([])).toThrowError('config: must be a mapping');
    for (const list of ['principals', 'resources', 'attributes'])
      expect(() => parseConfig({ ignore: { [list]: [1] } }, 'f.yaml')).toThrowError(
        `f.yaml: ignore: "${list}" must be a list of strings`,
      );
  });

  it('names an unknown field and the known ones', () => {
    expect(() => parseConfig({ ignores: {} }, 'f.yaml')).toThrowError(
      'f.yaml: unknown field "ignores" (known: ignore, terraformPrincipals, severity, serviceChanges)',
    );
    expect(() => parseConfig({ ignore: { principal: [] } }, 'f.yaml')).toThrowError(
      'f.yaml: unknown field "ignore.principal" (known: principals, resources, attributes, events)',
    );
  });

  it('checks the shapes of ignore, severity and serviceChanges', () => {
    expect(() => parseConfig({ ignore: ['a'] }, 'f.yaml')).toThrowError('f.yaml: "ignore" must be a mapping');
    expect(() => parseConfig({ ignore: 'a' }, 'f.yaml')).toThrowError('f.yaml: "ignore" must be a mapping');
    expect(() => parseConfig({ severity: ['low'] }, 'f.yaml')).toThrowError(
      'f.yaml: "severity" must map rule ids to levels',
    );
    expect(() => parseConfig({ severity: 'low' }, 'f.yaml')).toThrowError(
      'f.yaml: "severity" must map rule ids to levels',
    );
    expect(() => parseConfig({ severity: { r1: 'urgent' } }, 'f.yaml')).toThrowError(
      'f.yaml: severity of "r1" must be one of low, medium, high, critical',
    );
    expect(() => parseConfig({ serviceChanges: 'hide' }, 'f.yaml')).toThrowError(
      'f.yaml: "serviceChanges" must be one of low, ignore, report',
    );
    expect(() => parseConfig({ ignore: { events: ['a', 1] } }, 'f.yaml')).toThrowError(
      'f.yaml: ignore: "events" must be a list of strings',
    );
    expect(() => parseConfig({ terraformPrincipals: 'a' }, 'f.yaml')).toThrowError(
      'f.yaml: "terraformPrincipals" must be a list of strings',
    );
  });

  it('reads every list and level, and leaves serviceChanges out when not given', () => {
    const config = parseConfig({
      ignore: { principals: ['p'], resources: ['r'], attributes: ['a'], events: ['e'] },
      terraformPrincipals: ['t'],
      severity: { r1: 'critical' },
      serviceChanges: 'ignore',
    });
    expect(config).toEqual({
      serviceChanges: 'ignore',
      ignorePrincipals: ['p'],
      terraformPrincipals: ['t'],
      ignoreResources: ['r'],
      ignoreAttributes: ['a'],
      ignoreEvents: ['e'],
      severityOverrides: { r1: 'critical' },
    });
    const plain = parseConfig({ ignore: { principals: null } });
    expect('serviceChanges' in plain).toBe(false);
    expect(plain.ignorePrincipals).toEqual([]);
  });

  it('adds command-line principals, and keeps the config when there are none', () => {
    const config = parseConfig({ ignore: { principals: ['p'] } });
    expect(withIgnoredPrincipals(config, [])).toBe(config);
    expect(withIgnoredPrincipals(config, ['q']).ignorePrincipals).toEqual(['p', 'q']);
    expect(config.ignorePrincipals).toEqual(['p']);
  });
});

describe('error classes', () => {
  it('each names itself, so a log line says which kind of input was bad', () => {
    const names = [new ConfigError('x'), new InputError('x'), new RuleError('x'), new StateError('x')].map(
      (e) => [e.name, e instanceof Error, String(e)],
    );
    expect(names).toEqual([
      ['ConfigError', true, 'ConfigError: x'],
      ['InputError', true, 'InputError: x'],
      ['RuleError', true, 'RuleError: x'],
      ['StateError', true, 'StateError: x'],
    ]);
  });
});
