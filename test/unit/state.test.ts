import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StateError } from '../../lambdas/core/errors.js';
import {
  buildStateIndex,
  configAddress,
  parseStateDocument,
  sensitiveRoots,
  workspaceOf,
} from '../../lambdas/core/state.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/tfstate/${name}`, import.meta.url), 'utf8');
const doc = (name: string, file = name) => ({ file, text: fixture(name) });

describe('parseStateDocument addresses', () => {
  it('builds module, count and for_each addresses and skips data sources (tfstate-lookup)', () => {
    const { resources, info } = parseStateDocument(
      fixture('tfstate-lookup-modules.tfstate'),
      'lookup.tfstate',
    );
    const addresses = resources.map((r) => r.address);
    expect(addresses).toContain('aws_iam_role_policy_attachment.ec2[0]');
    expect(addresses).toContain('aws_iam_role_policy_attachment.ec2[1]');
    expect(addresses).toContain('module.logs.aws_cloudwatch_log_group.main["app"]');
    expect(addresses).toContain('aws_iam_user.users["foo.bar"]');
    expect(addresses).toContain('module.webapp.module.ecs_task_roles.aws_iam_role.task_execution_role');
    expect(addresses.some((a) => a.startsWith('data.') || a.includes('.data.'))).toBe(false);
    expect(info).toMatchObject({ file: 'lookup.tfstate', terraformVersion: '0.12.16', workspace: null });
    expect(info.resourceCount).toBe(resources.length);

    const logs = resources.find((r) => r.address === 'module.logs.aws_cloudwatch_log_group.main["web"]')!;
    expect(logs).toMatchObject({
      type: 'aws_cloudwatch_log_group',
      name: 'main',
      module: 'module.logs',
      indexKey: 'web',
      id: '/main/web',
      arn: 'arn:aws:logs:ap-northeast-1:123456789012:log-group:/main/web:*',
      stateFile: 'lookup.tfstate',
    });
    const attachment = resources.find((r) => r.address === 'aws_iam_role_policy_attachment.ec2[1]')!;
    expect(attachment.indexKey).toBe(1);
    expect(attachment.module).toBeNull();
    expect(attachment.arn).toBeNull();
  });

  it('keeps instance keys of counted modules (inframap repeated modules)', () => {
    const { resources } = parseStateDocument(fixture('inframap-repeated-modules.tfstate.json'), 'r.json');
    const ubuntu = resources.find((r) => r.address === 'module.ec2_ubuntu_a[1].aws_instance.this[0]')!;
    expect(ubuntu.module).toBe('module.ec2_ubuntu_a[1]');
    expect(ubuntu.id).toBe('i-0bbdaaaca5cf61ef5');
    expect(ubuntu.dependencies).toContain('module.vpc.aws_vpc.this');
    expect(configAddress(ubuntu.address)).toBe('module.ec2_ubuntu_a.aws_instance.this');
  });

  it('reads legacy 0.12.0 forms: attributes_flat, depends_on, each (terraform roundtrip fixture)', () => {
    const { resources } = parseStateDocument(
      fixture('terraform-v4-legacy-modules.tfstate'),
      'legacy.tfstate',
    );
    const bar = resources.find((r) => r.address === 'null_resource.bar')!;
    expect(bar.id).toBe('5388490630832483079');
    expect(bar.attributes).toEqual({ id: '5388490630832483079', triggers: { whaaat: '0,1' } });
    expect(bar.dependencies).toEqual(['null_resource.foo']);
    expect(resources.map((r) => r.address)).toContain('module.modB.null_resource.bar["a"]');
  });

  it('keeps the first of two instances with one address and warns (tfdrift-falco multiple_instances)', () => {
    const parsed = parseStateDocument(fixture('tfdrift-falco-multiple-instances.tfstate'), 'm.tfstate');
    expect(parsed.resources.map((r) => r.id)).toEqual(['i-0000000000000001']);
    expect(parsed.warnings).toEqual([
      'm.tfstate: duplicate address aws_instance.app; kept the first instance',
    ]);
    const index = buildStateIndex([doc('tfdrift-falco-multiple-instances.tfstate', 'm.tfstate')]);
    expect(index.errors).toEqual([{ file: 'm.tfstate', message: parsed.warnings[0] }]);
  });

  it('keeps instances without an id, reachable by address only', () => {
    // Hand-written: the corpus has no instance whose id is missing.
    const text = JSON.stringify({
      version: 4,
      terraform_version: '1.9.0',
      resources: [
        { mode: 'managed', type: 'aws_x', name: 'y', provider: 'p', instances: [{ attributes: { a: 1 } }] },
      ],
    });
    const index = buildStateIndex([{ file: 'f', text }]);
    expect(index.byAddress('aws_x.y')).toMatchObject({ id: null, arn: null, attributes: { a: 1 } });
    expect(index.byAttribute('a', '1')).toHaveLength(1);
  });
});

describe('parseStateDocument errors', () => {
  const fail = (text: string) => () => parseStateDocument(text, 's3://b/k.tfstate');

  it('rejects invalid JSON with the position', () => {
    expect(fail('{"version": 4,\n  "resources": [}')).toThrowError(
      /^s3:\/\/b\/k\.tfstate: not valid JSON \(.*; line 2, column 17\)$/,
    );
    expect(fail('{')).toThrowError(StateError);
  });

  it('never quotes the state text (it may hold secrets) in a JSON error', () => {
    const broken = '{"version": 4, "resources": [{"attributes": {"password": hunter2-secret}}]}';
    expect(fail(broken)).toThrowError(
      /^s3:\/\/b\/k\.tfstate: not valid JSON \(Unexpected token 'h'; line 1, column 58\)$/,
    );
    expect(fail(broken)).not.toThrowError(/hunter2/);
  });

  it('reads a state that starts with a byte-order mark', () => {
    const text = `\ufeff${fixture('driftctl-aws-sqs-queue.tfstate')}`;
    expect(parseStateDocument(text, 'bom.tfstate').resources).toHaveLength(2);
  });

  it('rejects an empty file', () => {
    expect(fail('  \n')).toThrowError('s3://b/k.tfstate: empty file');
  });

  it('rejects versions 1 to 3 with how to upgrade, and future versions', () => {
    expect(fail('{"version": 3, "modules": []}')).toThrowError(
      's3://b/k.tfstate: state format version 3 is not supported; run `terraform state pull` with Terraform ≥ 0.12',
    );
    expect(fail('{"version": 5, "resources": []}')).toThrowError('state format version 5 is not supported');
    expect(fail('{"resources": []}')).toThrowError('no "version" field');
    expect(fail('[1]')).toThrowError('expected a JSON object');
  });

  it('rejects a version 4 document without a resources array', () => {
    expect(fail('{"version": 4, "serial": 1}')).toThrowError('no "resources" array');
  });
});

describe('identity look-ups', () => {
  // The corpus has no provider-v5 RDS state and no non-empty sensitive_attributes: the first file is
  // driftctl's aws_db_instance state edited by hand to that shape (see test/fixtures/SOURCES.md).
  const index = buildStateIndex([
    doc('handwritten-aws-db-instance-provider-v5.tfstate', 'stacks/db/terraform.tfstate'),
    doc('driftctl-aws-iam-role-policy-multiple.tfstate', 'stacks/iam/terraform.tfstate'),
    doc('driftctl-aws-sqs-queue.tfstate', 'stacks/sqs/terraform.tfstate'),
    doc('driftctl-aws-rds-cluster.tfstate', 'stacks/rds/terraform.tfstate'),
  ]);

  it('indexes two or more files at once and remembers the state file', () => {
    expect(index.errors).toEqual([]);
    expect(index.files.map((f) => f.file)).toEqual([
      'stacks/db/terraform.tfstate',
      'stacks/iam/terraform.tfstate',
      'stacks/sqs/terraform.tfstate',
      'stacks/rds/terraform.tfstate',
    ]);
    expect(index.resources).toHaveLength(1 + 6 + 2 + 1);
    expect(index.byAddress('aws_sqs_queue.foo')?.stateFile).toBe('stacks/sqs/terraform.tfstate');
  });

  it('finds a provider-v5 aws_db_instance (id = DBI resource id) by its identifier', () => {
    const [db] = index.byAttribute('identifier', 'terraform-20201015115018309600000001', ['aws_db_instance']);
    expect(db.address).toBe('aws_db_instance.default');
    expect(db.id).toBe('db-PVD6KZ2WX76FJ7CJXVUNMEM2VQ');
    expect(index.byId('db-PVD6KZ2WX76FJ7CJXVUNMEM2VQ')).toEqual([db]);
    expect(index.byArn('arn:aws:rds:eu-west-3:929327065333:db:terraform-20201015115018309600000001')).toEqual(
      [db],
    );
    expect(index.byId('terraform-20201015115018309600000001')).toEqual([]);
    expect(db.sensitive).toEqual(new Set(['password']));
  });

  it('finds IAM inline policies by role:policy id and by role + name', () => {
    const [byId] = index.byId('test_role_1:policy-role1-2');
    expect(byId.address).toBe('aws_iam_role_policy.test_policy_role1[2]');
    const byRole = index.byAttribute('role', 'test_role_1', ['aws_iam_role_policy']);
    expect(byRole.map((r) => r.address)).toEqual([
      'aws_iam_role_policy.test_policy_role1[0]',
      'aws_iam_role_policy.test_policy_role1[1]',
      'aws_iam_role_policy.test_policy_role1[2]',
    ]);
    expect(byRole.filter((r) => r.attributes.name === 'policy-role1-2')).toEqual([byId]);
  });

  it('finds SQS queues by URL id and by name, RDS clusters by cluster_identifier', () => {
    expect(index.byId('https://sqs.eu-west-3.amazonaws.com/047081014315/foo')[0].address).toBe(
      'aws_sqs_queue.foo',
    );
    expect(index.byAttribute('name', 'bar.fifo', ['aws_sqs_queue'])[0].address).toBe('aws_sqs_queue.bar');
    expect(index.byAttribute('name', 'bar.fifo', ['aws_lambda_function'])).toEqual([]);
    expect(index.byAttribute('cluster_identifier', 'aurora-cluster-demo')[0].type).toBe('aws_rds_cluster');
  });

  it('builds each attribute map once, on first use', () => {
    const fresh = buildStateIndex([doc('driftctl-aws-sqs-queue.tfstate')]);
    const queue = fresh.resources.find((r) => r.address === 'aws_sqs_queue.foo')!;
    // The map is cached: a value changed after the first look-up is not seen by later ones.
    expect(fresh.byAttribute('name', 'foo')).toEqual([queue]);
    (queue.attributes as Record<string, unknown>).name = 'renamed';
    expect(fresh.byAttribute('name', 'foo')).toEqual([queue]);
    expect(fresh.byAttribute('name', 'renamed')).toEqual([]);
    // An attribute never asked for before is read from the current values.
    expect(fresh.byAttribute('fifo_queue', 'false')).toEqual([queue]);
  });

  it('reports a bad file and still indexes the others', () => {
    const mixed = buildStateIndex([
      { file: 'bad.tfstate', text: '{"version": 3}' },
      doc('driftctl-aws-sqs-queue.tfstate', 'good.tfstate'),
    ]);
    expect(mixed.errors).toHaveLength(1);
    expect(mixed.errors[0].file).toBe('bad.tfstate');
    expect(mixed.errors[0].message).toContain('state format version 3 is not supported');
    expect(mixed.resources).toHaveLength(2);
  });
});

describe('sensitive_attributes', () => {
  it('collapses version 4 paths to their root attribute', () => {
    const v4 = [
      [{ type: 'get_attr', value: 'password' }],
      [
        { type: 'get_attr', value: 'settings' },
        { type: 'index', value: { value: 0, type: 'number' } },
        { type: 'get_attr', value: 'secret' },
      ],
    ];
    expect(sensitiveRoots(v4)).toEqual(new Set(['password', 'settings']));
  });

  it('accepts bare steps, string paths and {path} objects', () => {
    expect(sensitiveRoots([{ type: 'get_attr', value: 'token' }])).toEqual(new Set(['token']));
    expect(sensitiveRoots(['master_password', 'tags.secret', 'keys[0]'])).toEqual(
      new Set(['master_password', 'tags', 'keys']),
    );
    expect(sensitiveRoots([{ path: [{ type: 'get_attr', value: 'private_key' }] }])).toEqual(
      new Set(['private_key']),
    );
    expect(sensitiveRoots([]).size).toBe(0);
    expect(sensitiveRoots(undefined).size).toBe(0);
  });
});

describe('workspaceOf', () => {
  it('reads the workspace from S3 backend and local workspace paths', () => {
    expect(workspaceOf('s3://bucket/env:/staging/network/terraform.tfstate')).toBe('staging');
    expect(workspaceOf('env:/prod/app.tfstate')).toBe('prod');
    expect(workspaceOf('/repo/terraform.tfstate.d/dev/terraform.tfstate')).toBe('dev');
    expect(workspaceOf('C:\\repo\\terraform.tfstate.d\\qa\\terraform.tfstate')).toBe('qa');
    expect(workspaceOf('s3://bucket/network/terraform.tfstate')).toBeNull();
    expect(workspaceOf('/repo/terraform.tfstate')).toBeNull();
  });

  it('lands in the file info', () => {
    const { info } = parseStateDocument(
      fixture('driftctl-aws-sqs-queue.tfstate'),
      's3://b/env:/blue/q.tfstate',
    );
    expect(info.workspace).toBe('blue');
  });
});
