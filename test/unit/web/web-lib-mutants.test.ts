// The dashboard's handling of untrusted strings, case by case: console links for every resource type
// (event data only encoded, after the host), policy documents recognised and pretty-printed, values
// shown as text, and remediation commands quoted for the shell and HCL.
// (npx stryker run --mutate 'web/src/lib/+(console-links|json-doc|remediation).ts')

import { describe, expect, it } from 'vitest';
import type { Drift } from '../../../lambdas/core/types.js';
import { cloudTrailLink, resourceConsoleLink, safeRegion } from '../../../web/src/lib/console-links.js';
import { asDocument, formatValue, prettyDocument } from '../../../web/src/lib/json-doc.js';
import { remediationFor, shellQuote } from '../../../web/src/lib/remediation.js';

function drift(
  resource: Partial<Drift['resource']>,
  over: Partial<Omit<Drift, 'resource'>> = {},
  region = 'eu-west-1',
): Drift {
  return {
    id: 'd-1',
    kind: 'modified',
    severity: 'high',
    ruleId: 'r',
    resource: {
      type: 'aws_instance',
      address: 'aws_instance.web',
      id: 'i-1',
      arn: null,
      stateFile: 's',
      ...resource,
    },
    changes: [],
    actor: { type: 'IAMUser', arn: null, name: 'a', accountId: '1', sourceIp: null, userAgent: null },
    event: {
      id: 'ev-1',
      name: 'X',
      source: 'ec2.amazonaws.com',
      time: '2026-01-01T00:00:00Z',
      region,
      account: '1',
    },
    summary: '',
    status: 'open',
    detectedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

const R = 'https://eu-west-1.console.aws.amazon.com';
const link = (type: string, id: string | null, arn: string | null = null) =>
  resourceConsoleLink(drift({ type, id: id as string, arn }));

describe('console links per resource type', () => {
  // The id carries a space and a slash: both must arrive encoded.
  const ID = 'a b/c';
  const E = 'a%20b%2Fc';
  const cases: [string, string][] = [
    ['aws_instance', `${R}/ec2/home?region=eu-west-1#InstanceDetails:instanceId=${E}`],
    ['aws_security_group', `${R}/ec2/home?region=eu-west-1#SecurityGroup:groupId=${E}`],
    ['aws_ebs_volume', `${R}/ec2/home?region=eu-west-1#VolumeDetails:volumeId=${E}`],
    ['aws_eip', `${R}/ec2/home?region=eu-west-1#ElasticIpDetails:AllocationId=${E}`],
    ['aws_launch_template', `${R}/ec2/home?region=eu-west-1#LaunchTemplateDetails:launchTemplateId=${E}`],
    ['aws_vpc', `${R}/vpcconsole/home?region=eu-west-1#VpcDetails:VpcId=${E}`],
    ['aws_subnet', `${R}/vpcconsole/home?region=eu-west-1#SubnetDetails:subnetId=${E}`],
    ['aws_route_table', `${R}/vpcconsole/home?region=eu-west-1#RouteTableDetails:RouteTableId=${E}`],
    ['aws_s3_bucket', `https://s3.console.aws.amazon.com/s3/buckets/${E}?region=eu-west-1&tab=properties`],
    ['aws_iam_role', `https://console.aws.amazon.com/iam/home#/roles/details/${E}`],
    ['aws_iam_user', `https://console.aws.amazon.com/iam/home#/users/details/${E}`],
    ['aws_iam_group', `https://console.aws.amazon.com/iam/home#/groups/details/${E}`],
    ['aws_iam_policy', `https://console.aws.amazon.com/iam/home#/policies/details/${E}`],
    ['aws_lambda_function', `${R}/lambda/home?region=eu-west-1#/functions/${E}`],
    ['aws_db_instance', `${R}/rds/home?region=eu-west-1#database:id=${E};is-cluster=false`],
    ['aws_rds_cluster', `${R}/rds/home?region=eu-west-1#database:id=${E};is-cluster=true`],
    ['aws_dynamodb_table', `${R}/dynamodbv2/home?region=eu-west-1#table?name=${E}`],
    ['aws_sqs_queue', `${R}/sqs/v3/home?region=eu-west-1#/queues/${E}`],
    ['aws_sns_topic', `${R}/sns/v3/home?region=eu-west-1#/topic/${E}`],
    ['aws_kms_key', `${R}/kms/home?region=eu-west-1#/kms/keys/${E}`],
    [
      'aws_cloudwatch_log_group',
      `${R}/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/a$2520b$252Fc`,
    ],
    ['aws_ecr_repository', `${R}/ecr/home?region=eu-west-1#/repositories/private/${E}`],
    [
      'aws_cloudfront_distribution',
      `https://us-east-1.console.aws.amazon.com/cloudfront/v4/home#/distributions/${E}`,
    ],
    [
      'aws_s3_bucket_policy',
      `https://s3.console.aws.amazon.com/s3/buckets/${E}?region=eu-west-1&tab=properties`,
    ],
    ['aws_security_group_rule', `${R}/ec2/home?region=eu-west-1#SecurityGroups:`],
    ['aws_vpc_security_group_ingress_rule', `${R}/ec2/home?region=eu-west-1#SecurityGroups:`],
  ];
  for (const [type, href] of cases) {
    it(`opens ${type} on its console page`, () => {
      expect(link(type, ID)).toEqual({ label: 'Open in AWS console', href });
    });
  }

  it('opens an inline role policy on its role, and an S3 sub-resource on the bucket of a comma id', () => {
    expect(link('aws_iam_role_policy', 'app-role:inline/policy')?.href).toBe(
      'https://console.aws.amazon.com/iam/home#/roles/details/app-role?section=permissions',
    );
    expect(link('aws_s3_bucket_acl', 'my-bucket,private')?.href).toBe(
      'https://s3.console.aws.amazon.com/s3/buckets/my-bucket?region=eu-west-1&tab=properties',
    );
  });

  it('prefers the ARN where the console page is keyed by it', () => {
    const policyArn = 'arn:aws:iam::1:policy/p';
    expect(link('aws_iam_policy', 'p-id', policyArn)?.href).toBe(
      `https://console.aws.amazon.com/iam/home#/policies/details/${encodeURIComponent(policyArn)}`,
    );
    const topic = 'arn:aws:sns:eu-west-1:1:alerts';
    expect(link('aws_sns_topic', 'x', topic)?.href).toBe(
      `${R}/sns/v3/home?region=eu-west-1#/topic/${encodeURIComponent(topic)}`,
    );
    // RDS pages use the instance name, the last part of the ARN.
    expect(link('aws_db_instance', 'db-ABC', 'arn:aws:rds:eu-west-1:1:db:orders')?.href).toBe(
      `${R}/rds/home?region=eu-west-1#database:id=orders;is-cluster=false`,
    );
  });

  it('takes the name from the ARN when the id is missing (the last part after : or /)', () => {
    expect(link('aws_iam_role', null, 'arn:aws:iam::1:role/path/deploy')?.href).toBe(
      'https://console.aws.amazon.com/iam/home#/roles/details/deploy',
    );
    expect(link('aws_db_instance', null, 'arn:aws:rds:eu-west-1:1:db:orders')?.href).toBe(
      `${R}/rds/home?region=eu-west-1#database:id=orders;is-cluster=false`,
    );
    // An ARN ending in a separator names nothing: search instead.
    const trailing = 'arn:aws:iam::1:role/';
    expect(link('aws_iam_role', null, trailing)).toEqual({
      label: 'Search in AWS console',
      href: `${R}/resource-explorer/home?region=eu-west-1#/search?query=${encodeURIComponent(trailing)}`,
    });
  });

  it('searches Resource Explorer for an unknown type, by ARN before id, and gives nothing without either', () => {
    expect(link('aws_glue_job', 'job 1')).toEqual({
      label: 'Search in AWS console',
      href: `${R}/resource-explorer/home?region=eu-west-1#/search?query=job%201`,
    });
    expect(link('aws_glue_job', 'job', 'arn:aws:glue:eu-west-1:1:job/j')?.href).toBe(
      `${R}/resource-explorer/home?region=eu-west-1#/search?query=${encodeURIComponent('arn:aws:glue:eu-west-1:1:job/j')}`,
    );
    expect(link('aws_glue_job', null, null)).toBeNull();
    // A malformed ARN names no resource: search for it rather than open a page named after it.
    expect(link('aws_iam_role', null, 'not-an-arn')).toEqual({
      label: 'Search in AWS console',
      href: `${R}/resource-explorer/home?region=eu-west-1#/search?query=not-an-arn`,
    });
    expect(link('aws_instance', null, null)).toBeNull();
  });

  it('uses the fallback region for a missing or hostile one, and us-east-1 when the fallback is bad too', () => {
    const d = drift({}, {}, '');
    expect(resourceConsoleLink(d, 'ap-southeast-2')?.href).toBe(
      'https://ap-southeast-2.console.aws.amazon.com/ec2/home?region=ap-southeast-2#InstanceDetails:instanceId=i-1',
    );
    expect(cloudTrailLink(d, 'ap-southeast-2').href).toBe(
      'https://ap-southeast-2.console.aws.amazon.com/cloudtrail/home?region=ap-southeast-2#/events/ev-1',
    );
    expect(safeRegion(null)).toBe('us-east-1');
    expect(safeRegion(undefined, 'ca-central-1')).toBe('ca-central-1');
    expect(safeRegion('evil.example', 'evil.example')).toBe('us-east-1');
    expect(safeRegion('us-gov-west-1')).toBe('us-gov-west-1');
    expect(safeRegion('eu-west-12')).toBe('eu-west-12');
    for (const bad of [
      'eu-west-123',
      'eu-west-',
      'EU-west-1',
      'x-west-1',
      'eu-1',
      'eu-west-1x',
      'xeu-west-1',
    ])
      expect(safeRegion(bad)).toBe('us-east-1');
    expect(cloudTrailLink(drift({})).label).toBe('CloudTrail event history');
  });
});

describe('policy documents', () => {
  it('finds a document in an object, JSON text (with spaces around) or URL-encoded JSON', () => {
    expect(asDocument({ a: 1 })).toEqual({ a: 1 });
    expect(asDocument('  {"a": 1}  ')).toEqual({ a: 1 });
    expect(asDocument(' [1, 2] ')).toEqual([1, 2]);
    expect(asDocument(' %7B%22a%22%3A1%7D')).toEqual({ a: 1 });
    expect(asDocument('%5b1%5d')).toEqual([1]);
  });

  it('finds none in scalars, other text, broken JSON, bad URL encoding or encoded non-documents', () => {
    expect(asDocument(null)).toBeUndefined();
    expect(asDocument(42)).toBeUndefined();
    expect(asDocument('plain')).toBeUndefined();
    expect(asDocument('"{}"')).toBeUndefined();
    expect(asDocument('{"a":')).toBeUndefined();
    expect(asDocument('x{"a":1}')).toBeUndefined();
    expect(asDocument('%7B%ZZ')).toBeUndefined();
    expect(asDocument('a%7B%22a%22%3A1%7D')).toBeUndefined();
    expect(asDocument('%7B%22a%22')).toBeUndefined();
    expect(asDocument('%22x%22')).toBeUndefined();
    // Text that is JSON already is not URL-decoded (a % in it is no escape).
    expect(asDocument('{"note": "100%"}')).toEqual({ note: '100%' });
    // Only a value that starts URL-encoded is decoded.
    expect(asDocument('{"a": %7B%7D}')).toBeUndefined();
    expect(asDocument('[%5B%5D]')).toBeUndefined();
  });

  it('pretty-prints with keys sorted at every depth, arrays kept in order', () => {
    expect(prettyDocument({ b: [{ z: 1, y: null }], a: 'x' })).toBe(
      '{\n  "a": "x",\n  "b": [\n    {\n      "y": null,\n      "z": 1\n    }\n  ]\n}',
    );
  });

  it('shows values as one readable line, documents as pretty JSON', () => {
    expect(formatValue(undefined)).toBe('(absent)');
    expect(formatValue(null)).toBe('null');
    expect(formatValue('<b>text</b>')).toBe('<b>text</b>');
    expect(formatValue(false)).toBe('false');
    expect(formatValue(12)).toBe('12');
    expect(formatValue({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
  });
});

describe('remediation', () => {
  it('quotes for the shell: every single quote closed, escaped and reopened', () => {
    expect(shellQuote("it's 'x'")).toBe(`'it'\\''s '\\''x'\\'''`);
    expect(shellQuote('a"b$c')).toBe(`'a"b$c'`);
  });

  it('suggests plan and apply, then accepting the change, for a modified resource', () => {
    const steps = remediationFor(drift({ address: 'aws_instance.web["a b"]' }));
    expect(steps).toEqual([
      {
        title: 'Restore the value in the code',
        code: `terraform plan -target='aws_instance.web["a b"]'\nterraform apply -target='aws_instance.web["a b"]'`,
        text: 'The plan should show the attributes above changing back to their expected values.',
      },
      {
        title: 'Or accept the change',
        text: 'If the change was intended, update the Terraform code to the actual values; the next plan then shows no changes.',
      },
    ]);
  });

  it('suggests recreating a deleted resource, or removing it from code and state', () => {
    const steps = remediationFor(drift({ address: "aws_s3_bucket.it's" }, { kind: 'deleted' }));
    expect(steps).toEqual([
      {
        title: 'Recreate it from the code',
        code: `terraform plan -target='aws_s3_bucket.it'\\''s'\nterraform apply -target='aws_s3_bucket.it'\\''s'`,
        text: 'The plan should show the resource to be created again.',
      },
      {
        title: 'Or accept the change',
        text: `If the deletion was intended, remove the resource from the code (or run terraform state rm 'aws_s3_bucket.it'\\''s').`,
      },
    ]);
  });

  it('suggests an import block, the CLI import and deletion for an unmanaged resource', () => {
    const steps = remediationFor(
      drift({ type: 'aws_iam_role', address: null, id: 'deploy"role' }, { kind: 'unmanaged' }),
    );
    expect(steps).toEqual([
      {
        title: 'Bring it under Terraform (Terraform 1.5+ import block)',
        code: 'import {\n  to = aws_iam_role.deploy_role\n  id = "deploy\\"role"\n}',
        text: 'Add the block next to a matching resource block, then run terraform plan and apply.',
      },
      { title: 'Or with the CLI', code: `terraform import 'aws_iam_role.deploy_role' 'deploy"role'` },
      {
        title: 'Or, if it should not exist',
        text: 'Delete it in AWS, after checking nothing depends on it.',
      },
    ]);
    // Unmanaged is imported whatever address it carries.
    const withAddress = remediationFor(drift({ address: 'aws_iam_role.x' }, { kind: 'unmanaged' }));
    expect(withAddress[0].title).toMatch(/^Bring it under Terraform/);
    // A managed kind without an address is imported too.
    expect(remediationFor(drift({ address: null }))[0].title).toMatch(/^Bring it under Terraform/);
  });

  it('names the import after the id: ARN prefix dropped, illegal characters replaced, a legal first letter', () => {
    const to = (id: string | null, arn: string | null = null) =>
      remediationFor(drift({ type: 't', address: null, id: id as string, arn }, { kind: 'unmanaged' }))[0]
        .code;
    expect(to('arn:aws:iam::1:role/path/deploy')).toContain('to = t.deploy\n');
    expect(to('12-abc.def')).toContain('to = t.abc_def\n');
    expect(to('_x')).toContain('to = t._x\n');
    expect(to('a::b')).toContain('to = t.a_b\n');
    expect(to('role/arn:x/y')).toContain('to = t.role_arn_x_y\n');
    expect(to('123')).toContain('to = t.imported\n');
    expect(to('a'.repeat(70))).toContain(`to = t.${'a'.repeat(60)}\n`);
    expect(to(null, 'arn:aws:sqs:eu-west-1:1:jobs')).toBe(
      'import {\n  to = t.jobs\n  id = "arn:aws:sqs:eu-west-1:1:jobs"\n}',
    );
    expect(to(null, null)).toBe('import {\n  to = t.RESOURCE_ID\n  id = "RESOURCE_ID"\n}');
  });
});
