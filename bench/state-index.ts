// State index build time against a plain JSON.parse of the same ~100 MB tfstate. The state is
// generated from real resource shapes (test/fixtures/tfstate, from the corpus) with modules, count
// and for_each, data sources among them, written the way Terraform writes it (2-space indent).
// Prints {"stateBytes", "resources", "parseMs", "indexMs", "ratio"}; the target is ratio ≤ 1.5.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { buildStateIndex } from '../lambdas/core/state.js';

type Attributes = Record<string, unknown>;

interface Template {
  readonly type: string;
  readonly attributes: Attributes;
  readonly sensitive?: unknown[];
}

function templates(): Template[] {
  const read = (file: string) =>
    JSON.parse(readFileSync(new URL(`../test/fixtures/tfstate/${file}`, import.meta.url), 'utf8')) as {
      resources: {
        mode: string;
        type: string;
        instances: { attributes: Attributes; sensitive_attributes?: unknown[] }[];
      }[];
    };
  const found = new Map<string, Template>();
  for (const file of [
    'tfdrift-falco-detector.tfstate',
    'handwritten-aws-db-instance-provider-v5.tfstate',
    'driftctl-aws-sqs-queue.tfstate',
    'driftctl-aws-rds-cluster.tfstate',
    'tfstate-lookup-modules.tfstate',
  ]) {
    for (const block of read(file).resources) {
      if (block.mode !== 'managed' || found.has(block.type)) continue;
      const instance = block.instances[0];
      found.set(block.type, {
        type: block.type,
        attributes: instance.attributes,
        sensitive: instance.sensitive_attributes,
      });
    }
  }
  return [...found.values()];
}

const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, '0').slice(-width);

/** A copy of the template's attributes with this instance's identity and tags. */
function instanceAttributes(template: Template, serial: number): Attributes {
  const suffix = hex(Math.imul(serial, 2654435761), 8);
  const id = idFor(template, serial, suffix);
  const attributes: Attributes = { ...template.attributes, id };
  if (typeof attributes.arn === 'string')
    attributes.arn = `${(attributes.arn as string).replace(/[^:/]+$/, '')}${id}`;
  if ('name' in attributes) attributes.name = `${template.type.replace(/^aws_/, '')}-${serial}`;
  if ('identifier' in attributes) attributes.identifier = `db-${serial}`;
  if ('bucket' in attributes) attributes.bucket = `bucket-${serial}-${suffix}`;
  const tags = {
    Name: `${template.type}-${serial}`,
    Environment: ['prod', 'staging', 'dev'][serial % 3],
    Team: `team-${serial % 17}`,
    CostCenter: `cc-${1000 + (serial % 250)}`,
    ManagedBy: 'terraform',
    Repository: 'github.com/example/infrastructure',
    Service: `service-${serial % 60}`,
    Owner: `owner-${serial % 40}@example.com`,
  };
  if ('tags' in attributes) {
    attributes.tags = tags;
    attributes.tags_all = { ...tags, Region: 'eu-west-1' };
  }
  if (template.type === 'aws_iam_role' || template.type === 'aws_iam_role_policy') {
    attributes[template.type === 'aws_iam_role' ? 'assume_role_policy' : 'policy'] = policyFor(serial);
  }
  return attributes;
}

function idFor(template: Template, serial: number, suffix: string): string {
  switch (template.type) {
    case 'aws_instance':
      return `i-0${suffix}${hex(serial, 8)}`;
    case 'aws_security_group':
      return `sg-0${suffix}${hex(serial, 8)}`;
    case 'aws_subnet':
      return `subnet-0${suffix}${hex(serial, 8)}`;
    case 'aws_db_instance':
      return `db-${suffix.toUpperCase()}${hex(serial, 8).toUpperCase()}PVD6KZ2WX7`;
    case 'aws_sqs_queue':
      return `https://sqs.eu-west-1.amazonaws.com/111122223333/queue-${serial}`;
    case 'aws_iam_role_policy':
      return `role-${serial}:policy-${serial}`;
    default:
      return `${template.type.replace(/^aws_/, '')}-${serial}-${suffix}`;
  }
}

function policyFor(serial: number): string {
  const statements = Array.from({ length: 4 }, (_, i) => ({
    Sid: `Statement${i}`,
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 'sqs:SendMessage', 'kms:Decrypt'].slice(
      0,
      2 + i,
    ),
    Resource: [`arn:aws:s3:::bucket-${serial}`, `arn:aws:s3:::bucket-${serial}/*`],
  }));
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * A Terraform v4 state text with `resourceCount` managed instances (plus a data source per 50),
 * in blocks of 10 instances: count blocks, for_each blocks, root and nested modules.
 */
export function generateState(resourceCount: number): string {
  const shapes = templates();
  const resources: unknown[] = [];
  let serial = 0;
  for (let block = 0; serial < resourceCount; block++) {
    const template = shapes[block % shapes.length];
    const module =
      block % 4 === 0
        ? undefined
        : block % 4 === 1
          ? `module.service_${block % 50}`
          : block % 4 === 2
            ? `module.region["eu-west-${block % 3}"].module.service_${block % 50}`
            : `module.shard[${block % 5}]`;
    const forEach = block % 2 === 1;
    const instances = [];
    for (let i = 0; i < 10 && serial < resourceCount; i++, serial++) {
      instances.push({
        ...(forEach ? { index_key: `key-${i}` } : { index_key: i }),
        schema_version: 1,
        attributes: instanceAttributes(template, serial),
        sensitive_attributes: template.sensitive ?? [],
        private: 'eyJzY2hlbWFfdmVyc2lvbiI6IjEifQ==',
        dependencies: [
          `aws_vpc.main`,
          `${module ? `${module.replace(/\[[^\]]*\]/g, '')}.` : ''}aws_security_group.base`,
        ],
      });
    }
    resources.push({
      ...(module ? { module } : {}),
      mode: 'managed',
      type: template.type,
      name: `${template.type.replace(/^aws_/, '')}_${block}`,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances,
    });
    if (block % 5 === 0) {
      resources.push({
        mode: 'data',
        type: 'aws_caller_identity',
        name: `current_${block}`,
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: 0, attributes: { account_id: '111122223333', id: '111122223333' } }],
      });
    }
  }
  const state = {
    version: 4,
    terraform_version: '1.9.8',
    serial: 42,
    lineage: '3f6ac1b5-7e0e-4cb4-9f0c-8a0d2f6f4c11',
    outputs: {},
    resources,
    check_results: null,
  };
  return JSON.stringify(state, null, 2);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall and CPU milliseconds of one call. CPU time (all threads, GC included) is what a busy
 * shared machine distorts least, so it is reported next to the wall-clock figures. */
function time(run: () => unknown): { wall: number; cpu: number } {
  const cpuStart = process.cpuUsage();
  const started = process.hrtime.bigint();
  run();
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

function main(): void {
  const count = Number(process.env.BENCH_STATE_RESOURCES ?? 50_000);
  const text = generateState(count);
  const file = 's3://bench/terraform.tfstate';
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  let resources = 0;
  // Warm up both paths, then alternate so both see the same heap conditions.
  JSON.parse(text);
  resources = buildStateIndex([{ file, text }]).resources.length;
  const parse: { wall: number; cpu: number }[] = [];
  const index: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < 5; i++) {
    gc();
    parse.push(time(() => JSON.parse(text)));
    gc();
    index.push(time(() => buildStateIndex([{ file, text }])));
  }
  const parseMs = median(parse.map((t) => t.wall));
  const indexMs = median(index.map((t) => t.wall));
  const parseCpuMs = median(parse.map((t) => t.cpu));
  const indexCpuMs = median(index.map((t) => t.cpu));
  console.log(
    JSON.stringify({
      stateBytes: Buffer.byteLength(text),
      resources,
      parseMs: Math.round(parseMs),
      indexMs: Math.round(indexMs),
      ratio: Math.round((indexMs / parseMs) * 100) / 100,
      parseCpuMs: Math.round(parseCpuMs),
      indexCpuMs: Math.round(indexCpuMs),
      cpuRatio: Math.round((indexCpuMs / parseCpuMs) * 100) / 100,
    }),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
