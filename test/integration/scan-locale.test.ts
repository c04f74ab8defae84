// The report's order is the same on every machine (scan.ts: "stable across runs and machines"),
// whatever the user's locale: the same scan under LANG=C and LANG=et_EE.UTF-8 (Estonian sorts z before t).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'tfdrift-locale-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('lists findings in the same order whatever the locale', () => {
  const [, , terminate] = JSON.parse(readFileSync(join(ROOT, 'examples/scan/events.json'), 'utf8')).Records;
  const resource = (module: string, id: string) => ({
    module,
    mode: 'managed',
    type: 'aws_instance',
    name: 'x',
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [{ schema_version: 1, attributes: { id, instance_type: 't2.micro', tags: {} } }],
  });
  const state = join(tmp, 'main.tfstate');
  writeFileSync(
    state,
    JSON.stringify({
      version: 4,
      terraform_version: '1.9.5',
      serial: 1,
      lineage: 'l',
      outputs: {},
      resources: [resource('module.t', 'i-0000000000000000a'), resource('module.z', 'i-0000000000000000b')],
    }),
  );
  const items = [{ instanceId: 'i-0000000000000000a' }, { instanceId: 'i-0000000000000000b' }];
  const events = join(tmp, 'events.json');
  writeFileSync(
    events,
    JSON.stringify({
      Records: [
        {
          ...terminate,
          eventID: 'evt-1',
          requestParameters: { instancesSet: { items } },
          responseElements: { instancesSet: { items } },
        },
      ],
    }),
  );
  const order = (lang: string) => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'bin/tfdrift.ts'),
        'scan',
        '--state',
        state,
        '--events',
        events,
        '--per-event',
        '--format',
        'json',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LANG: lang, LC_ALL: lang } },
    );
    return JSON.parse(run.stdout).findings.map((f: { resource: { address: string } }) => f.resource.address);
  };

  const c = order('C');
  const estonian = order('et_EE.UTF-8');

  expect(c).toEqual(['module.t.aws_instance.x', 'module.z.aws_instance.x']);
  expect(estonian).toEqual(c);
});
