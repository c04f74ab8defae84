// The detect function's bundle as the stack builds it (lib/bundling.ts): its cold import loads the
// DynamoDB and S3 clients every event needs, and the SNS and EventBridge clients only in the chunk its
// first drift imports (bench/cold-start.ts measures both); and it imports nothing outside its folder.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler } from '../../lib/bundling.js';

let dir: string;
const text = (file: string) => readFileSync(join(dir, file), 'utf8');
const modules = () => readdirSync(dir).filter((name) => name.endsWith('.mjs'));

/** The files a cold import of `file` loads: it and its static imports of sibling chunks, transitively. */
function eagerFiles(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, chunk] of text(file).matchAll(/(?:\bfrom|\bimport)"\.\/([^"]+)"/g)) eagerFiles(chunk, seen);
  return seen;
}

/** Every module specifier a file imports, statically or with `import()` (minified: no spaces). */
function specifiers(file: string): string[] {
  return [...text(file).matchAll(/(?:\bfrom|\bimport\(?)"([^"]+)"/g)].map((m) => m[1]);
}

// What the detect function's environment holds (bench/cold-start.ts).
const ENV = {
  PATH: process.env.PATH,
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'ASIATESTEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  DRIFTS_TABLE: 'tfdrift-drifts',
  EVENTS_TABLE: 'tfdrift-events',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:tfdrift-Alerts',
  STATE_SOURCES: JSON.stringify([{ bucket: 'acme-tfstate', prefixes: ['prod/'] }]),
  DETECT_CONFIG: '{}',
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tfdrift-detect-bundle-'));
  await bundleHandler('detect', dir);
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the detect bundle', () => {
  it('loads the SNS and EventBridge clients only in the chunk of its first drift', () => {
    // Prepare
    const driftChunk = modules().find((name) => name.startsWith('drift-outputs-'));
    // Act
    const eager = [...eagerFiles('index.mjs')].map(text).join('\n');
    // Assess
    expect(driftChunk).toBeDefined();
    expect(text('index.mjs')).toContain(`import("./${driftChunk}")`);
    expect(eager).toContain('com.amazonaws.dynamodb');
    expect(eager).toContain('com.amazonaws.s3');
    expect(eager).not.toContain('com.amazonaws.sns');
    expect(eager).not.toContain('com.amazonaws.eventbridge');
    const drift = text(String(driftChunk));
    expect(drift).toContain('com.amazonaws.sns');
    expect(drift).toContain('com.amazonaws.eventbridge');
  });

  it("imports nothing but Node's built-ins and its own chunks", () => {
    // Act
    const imported = modules().flatMap(specifiers);
    // Assess
    expect(imported.length).toBeGreaterThan(0);
    const outside = imported.filter(
      (spec) => !spec.startsWith('node:') && !(spec.startsWith('./') && modules().includes(spec.slice(2))),
    );
    expect(outside).toEqual([]);
  });

  it('imports cold with the function environment, and its drift chunk builds an SNS notifier', () => {
    // Prepare
    const driftChunk = join(dir, String(modules().find((name) => name.startsWith('drift-outputs-'))));
    const script = `const m = await import(process.argv[1]); const d = await import(process.argv[2]);
      const n = d.snsNotifier(process.env.TOPIC_ARN, undefined);
      console.log(typeof m.handler, typeof n.notify);`;
    // Act
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', script, join(dir, 'index.mjs'), driftChunk],
      {
        env: ENV,
        encoding: 'utf8',
      },
    );
    // Assess
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('function function');
  });
});
