// Fuzzing the normaliser, the rule matcher (detect + EventBridge patterns) and the state parser with
// mutated real records. Seeded (TFDRIFT_SEED replays a failure), bounded by iterations and wall
// time. Allowed outcomes: a result, or the documented InputError / StateError. Not allowed: any
// other exception, a slow input (a hang), or a polluted Object.prototype.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEventText } from '../../lambdas/adapters/local/event-files.js';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { extractEach, normaliseRecord } from '../../lambdas/core/cloudtrail.js';
import { parseConfig } from '../../lambdas/core/config.js';
import { detectEvent } from '../../lambdas/core/detect.js';
import { InputError, StateError } from '../../lambdas/core/errors.js';
import { matchesPattern } from '../../lambdas/core/event-pattern.js';
import { scrubSecrets } from '../../lambdas/core/redact.js';
import { eventPatterns } from '../../lambdas/core/rules.js';
import { buildStateIndex, parseStateDocument } from '../../lambdas/core/state.js';
import { bridgeEnvelope } from '../../lambdas/services/detect-service.js';
import { FIXTURES } from '../support/hostile-fixtures.js';
import { type Rng, seededRng, testSeed } from '../support/prng.js';

const SEED = testSeed(20260101);
const MAX_ITERATIONS = Number(process.env.TFDRIFT_FUZZ_ITERATIONS ?? 4000);
const MAX_MS = Number(process.env.TFDRIFT_FUZZ_MS ?? 4500);
/** One input taking longer than this is a hang (catastrophic regex backtracking, runaway recursion). */
const SLOW_MS = 1500;

const RULES = loadRulesFromDir();
const PATTERNS = eventPatterns(RULES);
const CONFIG = parseConfig({
  ignore: { principals: ['arn:aws:iam::*:role/ci-*'], events: ['Get*'], resources: ['aws_sqs_queue.*'] },
});

const golden = join(import.meta.dirname, '../golden');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
const RECORDS: unknown[] = [
  ...readdirSync(join(FIXTURES, 'cloudtrail')).map((f) => readJson(join(FIXTURES, 'cloudtrail', f))),
  ...readdirSync(golden, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => extractEach(readJson(join(golden, d.name, 'events.json'))))
    .map((x) => ('record' in x ? x.record : null)),
].filter((r) => r !== null);
const STATES = readdirSync(join(FIXTURES, 'tfstate')).map((f) =>
  readFileSync(join(FIXTURES, 'tfstate', f), 'utf8'),
);
const STATE_INDEX = buildStateIndex(
  readdirSync(join(FIXTURES, 'tfstate')).map((f) => ({
    file: f,
    text: readFileSync(join(FIXTURES, 'tfstate', f), 'utf8'),
  })),
);

// Values attackers and broken writers put where a field should be.
const HOSTILE: readonly (() => unknown)[] = [
  () => null,
  () => 0,
  () => -1e308,
  () => Number.MAX_SAFE_INTEGER + 2,
  () => true,
  () => '',
  () => ' ',
  () => '*',
  () => `$${'{'}jndi:ldap://x}`, // a Log4Shell probe, as text
  () => '<img src=x onerror=alert(1)>',
  () => '\u001b[31m\u202e\u0000\ud800',
  () => 'a'.repeat(20_000),
  () => `${'a*'.repeat(500)}b`,
  () => `arn:aws:iam::${'1'.repeat(5000)}:role/x`,
  () => '10.0.0.0/33',
  () => '::ffff:999.1.1.1',
  () => [],
  () => [[[[[]]]]],
  () => ({}),
  () => ({ __proto__: { polluted: 1 } }),
  () => JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'),
  () => ({ toString: 'x', valueOf: 1, hasOwnProperty: 'no' }),
];

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Paths to every node of a JSON value (bounded). */
function nodes(
  value: unknown,
  path: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (out.length > 400) return out;
  out.push(path);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) nodes(v, [...path, i], out);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) nodes(v, [...path, k], out);
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  let node = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return root;
}

/** One to four structural mutations of a JSON value. */
function mutate(value: unknown, rng: Rng): unknown {
  let out = clone(value);
  for (let i = 0, n = 1 + rng.int(4); i < n; i++) {
    const all = nodes(out);
    const path = rng.pick(all);
    const op = rng.int(6);
    if (op === 0) out = setAt(out, path, rng.pick(HOSTILE)(), false);
    else if (op === 1 && path.length > 0) out = setAt(out, path, undefined, true);
    else if (op === 2) {
      // Type swap: string ↔ number ↔ array of itself.
      const current = path.reduce<unknown>((n, s) => (n as Record<string | number, unknown>)?.[s], out);
      out = setAt(
        out,
        path,
        typeof current === 'string' ? Number(current) || [current] : JSON.stringify(current),
      );
    } else if (op === 3) {
      let deep: unknown = 'x';
      for (let d = 0, depth = 50 + rng.int(3000); d < depth; d++)
        deep = rng.chance(0.5) ? { a: deep } : [deep];
      out = setAt(out, path, deep);
    } else if (op === 4) {
      // Graft another record's subtree here (plausible but wrong).
      const other = rng.pick(RECORDS);
      out = setAt(
        out,
        path,
        clone(rng.pick(nodes(other)).reduce<unknown>((n, s) => (n as never)?.[s], other)),
      );
    } else {
      out = setAt(out, path, rng.pick(HOSTILE)());
    }
  }
  // Inputs arrive as JSON: what JSON cannot carry (undefined, prototypes) does not count.
  return JSON.parse(JSON.stringify(out) ?? 'null');
}

/** Text-level damage: truncation, byte flips, inserted junk. */
function damageText(text: string, rng: Rng): string {
  const at = rng.int(text.length + 1);
  switch (rng.int(4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return `${text.slice(0, at)}${String.fromCharCode(rng.int(0x3000))}${text.slice(at + 1)}`;
    case 2:
      return `${text.slice(0, at)}${rng.pick(['}', ']', ',', '"', '\\', '\u0000', '{"a":'])}${text.slice(at)}`;
    default:
      return text.replace(/"[^"]{1,40}"/, () => JSON.stringify(rng.pick(HOSTILE)()) ?? 'null');
  }
}

interface FuzzStats {
  iterations: number;
  expectedErrors: number;
  ms: number;
}

/** Runs `body` until either bound; rethrows the first unexpected failure with the seed and input. */
function fuzz(
  name: string,
  seed: number,
  body: (rng: Rng) => { input: unknown; expected?: boolean },
): FuzzStats {
  const rng = seededRng(seed);
  const started = performance.now();
  const stats: FuzzStats = { iterations: 0, expectedErrors: 0, ms: 0 };
  while (stats.iterations < MAX_ITERATIONS && performance.now() - started < MAX_MS) {
    const t0 = performance.now();
    let input: unknown;
    try {
      const r = body(rng);
      input = r.input;
      if (r.expected) stats.expectedErrors++;
    } catch (error) {
      throw new Error(
        `${name}: unexpected ${(error as Error).name}: ${(error as Error).message} ` +
          `(seed ${seed}, iteration ${stats.iterations}; replay with TFDRIFT_SEED=${seed})\n` +
          `${(error as Error).stack?.split('\n').slice(1, 5).join('\n')}`,
      );
    }
    const took = performance.now() - t0;
    if (took > SLOW_MS) {
      throw new Error(
        `${name}: one input took ${Math.round(took)} ms (seed ${seed}, iteration ${stats.iterations}): ${String(JSON.stringify(input)).slice(0, 300)}`,
      );
    }
    stats.iterations++;
  }
  stats.ms = Math.round(performance.now() - started);
  expect(
    ({} as Record<string, unknown>).polluted,
    `Object.prototype polluted (seed ${seed})`,
  ).toBeUndefined();
  console.log(
    `fuzz ${name}: ${stats.iterations} iterations in ${stats.ms} ms, ${stats.expectedErrors} clear errors (seed ${seed})`,
  );
  return stats;
}

describe(`fuzz (seed ${SEED})`, () => {
  it(
    'normaliser + rule matcher + detector: results or InputError, nothing else',
    () => {
      const stats = fuzz('detect', SEED, (rng) => {
        const input = mutate(rng.pick(RECORDS), rng);
        for (const item of extractEach(input)) {
          if ('error' in item) return { input, expected: true };
          let event: ReturnType<typeof normaliseRecord>;
          try {
            event = normaliseRecord(item.record);
          } catch (error) {
            if (error instanceof InputError) return { input, expected: true };
            throw error;
          }
          const envelope = bridgeEnvelope(event);
          for (const pattern of PATTERNS) matchesPattern(pattern, envelope);
          const outcome = detectEvent(event, { rules: RULES, state: STATE_INDEX, config: CONFIG });
          expect(['drift', 'ignored', 'error']).toContain(outcome.outcome.result);
          JSON.stringify(scrubSecrets(event.raw));
        }
        return { input };
      });
      expect(stats.iterations).toBeGreaterThan(100);
    },
    MAX_MS + 20_000,
  );

  it(
    'event text reader: damaged documents give error items, never throws',
    () => {
      const texts = RECORDS.map((r) => JSON.stringify({ Records: [r, r] }));
      const stats = fuzz('event-text', SEED + 1, (rng) => {
        const input = damageText(rng.pick(texts), rng);
        const items = parseEventText(input, 'fuzz.json');
        expect(items.length).toBeGreaterThan(0);
        for (const item of items) if (!item.ok) expect(item.error.startsWith('fuzz.json')).toBe(true);
        return { input, expected: items.some((i) => !i.ok) };
      });
      expect(stats.iterations).toBeGreaterThan(100);
    },
    MAX_MS + 20_000,
  );

  it(
    'state parser + index: results or StateError, nothing else',
    () => {
      const docs = STATES.map((t) => JSON.parse(t) as unknown);
      const stats = fuzz('state', SEED + 2, (rng) => {
        const text = rng.chance(0.5)
          ? JSON.stringify(mutate(rng.pick(docs), rng))
          : damageText(rng.pick(STATES), rng);
        try {
          const parsed = parseStateDocument(text, 'fuzz.tfstate');
          const index = buildStateIndex([parsed]);
          for (const r of index.resources.slice(0, 5)) {
            if (r.id) index.byId(r.id);
            index.byAddress(r.address);
            index.byAttribute('bucket', String(r.id));
          }
        } catch (error) {
          if (error instanceof StateError) return { input: text, expected: true };
          throw error;
        }
        return { input: text };
      });
      expect(stats.iterations).toBeGreaterThan(100);
    },
    MAX_MS + 20_000,
  );
});
