// Net drift against per-event listing: 100k CloudTrail events (bench/events.ts: reads, failed
// calls, Terraform's writes, hand-made writes) against a state of 20 resources, scanned both ways.
// Prints one JSON line: events, per-event findings, net findings, drifted resource+attribute pairs.
//   npx tsx bench/net-drift.ts            (BENCH_EVENTS / BENCH_RESOURCES to change the sizes)

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRulesFromDir } from '../lambdas/adapters/local/rule-files.js';
import { DEFAULT_CONFIG } from '../lambdas/core/config.js';
import { buildStateIndex } from '../lambdas/core/state.js';
import { scan } from '../lambdas/local/scan.js';
import { generateEvents } from './events.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 20);
const PER_FILE = 1000;

/** Instances, security groups and volumes in turn: the targets bench/events.ts writes to. */
function smallState(count: number): string {
  const resources = Array.from({ length: count }, (_, i) => {
    const hex = i.toString(16).padStart(8, '0');
    const [type, attributes] =
      i % 3 === 0
        ? ['aws_instance', { id: `i-0${hex}`, instance_type: 't3.micro', tags: { Name: `web-${i}` } }]
        : i % 3 === 1
          ? ['aws_security_group', { id: `sg-0${hex}`, name: `sg-${i}`, ingress: [], egress: [], tags: {} }]
          : ['aws_ebs_volume', { id: `vol-0${hex}`, tags: { Name: `data-${i}`, Owner: 'team-0' } }];
    return {
      mode: 'managed',
      type,
      name: `r${i}`,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 1, attributes }],
    };
  });
  return JSON.stringify({
    version: 4,
    terraform_version: '1.9.5',
    serial: 1,
    lineage: 'bench-net',
    resources,
  });
}

const dir = mkdtempSync(join(tmpdir(), 'tfdrift-bench-net-'));
try {
  const stateText = smallState(RESOURCES);
  mkdirSync(join(dir, 'state'));
  writeFileSync(join(dir, 'state', 'main.tfstate'), stateText);
  const index = buildStateIndex([{ file: 'main.tfstate', text: stateText }]);
  const targets = index.resources.filter((r) => r.id).map((r) => ({ type: r.type, id: r.id as string }));
  const records = generateEvents(EVENTS, targets);
  mkdirSync(join(dir, 'events'));
  for (let i = 0; i < records.length; i += PER_FILE)
    writeFileSync(
      join(dir, 'events', `${String(i / PER_FILE).padStart(5, '0')}.json`),
      JSON.stringify({ Records: records.slice(i, i + PER_FILE) }),
    );
  const rules = loadRulesFromDir();
  const options = { state: [join(dir, 'state')], events: [join(dir, 'events')] };
  const perEvent = await scan({ ...options, mode: 'per-event' }, rules, DEFAULT_CONFIG);
  const start = performance.now();
  const net = await scan({ ...options, mode: 'net' }, rules, DEFAULT_CONFIG);
  const netMs = Math.round(performance.now() - start);
  // The distinct resource+attribute pairs the per-event findings name: an upper bound of the net
  // findings (a pair whose last change was set back to the state's value has none).
  const pairs = new Set(
    perEvent.findings.flatMap((f) =>
      f.changes.length === 0
        ? [`${f.resource.address}|${f.kind}`]
        : f.changes.map((c) => `${f.resource.address}|${c.attribute}`),
    ),
  );
  const eventsNamed = net.findings.reduce((sum, f) => sum + (f.events?.length ?? 0), 0);
  process.stdout.write(
    `${JSON.stringify({
      events: net.summary.events,
      resources: net.summary.resources,
      perEventFindings: perEvent.summary.findings,
      netFindings: net.summary.findings,
      driftedPairsInPerEvent: pairs.size,
      eventsNamedByNetFindings: eventsNamed,
      netScanMs: netMs,
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
