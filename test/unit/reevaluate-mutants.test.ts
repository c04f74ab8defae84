// Re-evaluation (lambdas/services/reevaluate.ts) behaviours a mutation run found untested
// (npx stryker run --mutate lambdas/services/reevaluate.ts): each test checks both sides.

import { describe, expect, it } from 'vitest';
import { buildStateIndex } from '../../lambdas/core/state.js';
import type { AttributeChange, Drift } from '../../lambdas/core/types.js';
import { resolutionOf } from '../../lambdas/services/reevaluate.js';
import { sampleDrift } from '../support/drift-samples.js';

const FILE = 'envs/prod.tfstate';
const OTHER = 'envs/staging.tfstate';

/** A one-resource-per-type state file holding `attributes` on an aws_instance.web. */
function stateDoc(attributes: Record<string, unknown>) {
  return JSON.stringify({
    version: 4,
    terraform_version: '1.9.5',
    serial: 3,
    lineage: '7b1c6a2e-1111-2222-3333-444455556666',
    outputs: {},
    resources: [
      {
        mode: 'managed',
        type: 'aws_instance',
        name: 'web',
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [
          {
            schema_version: 1,
            attributes: {
              id: 'i-0abc1',
              arn: 'arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc1',
              ...attributes,
            },
          },
        ],
      },
      {
        mode: 'managed',
        type: 'aws_eip',
        name: 'web',
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [
          {
            schema_version: 0,
            attributes: {
              id: 'eipalloc-0f00',
              arn: 'arn:aws:ec2:eu-west-1:123456789012:elastic-ip/eipalloc-0f00',
            },
          },
        ],
      },
    ],
  });
}

const index = (attributes: Record<string, unknown>, file = FILE) =>
  buildStateIndex([{ file, text: stateDoc(attributes) }]);

function modified(changes: AttributeChange[], stateFile: string | null = FILE): Drift {
  const base = sampleDrift(1, { address: 'aws_instance.web' });
  return { ...base, resource: { ...base.resource, stateFile }, changes };
}

function unmanaged(type: string, id: string | null, arn: string | null): Drift {
  const base = sampleDrift(2, { kind: 'unmanaged', type });
  return { ...base, resource: { ...base.resource, id: id as string, arn } };
}

describe('comparing the changed value with the new state', () => {
  it('resolves on an equal object value, and stays open on a different one', () => {
    const tags = { Name: 'web', Team: 'core' };
    const drift = modified([{ attribute: 'tags', expected: { Name: 'web' }, actual: tags }]);
    expect(resolutionOf(drift, index({ tags: { Team: 'core', Name: 'web' } }))).toBe(
      'state now holds the changed value (tags)',
    );
    expect(resolutionOf(drift, index({ tags: { Name: 'web' } }))).toBeNull();
  });

  it('matches a number or boolean with the same text in state (CloudTrail sends some as strings)', () => {
    const port = modified([{ attribute: 'port', expected: 22, actual: 8080 }]);
    expect(resolutionOf(port, index({ port: '8080' }))).toBe('state now holds the changed value (port)');
    expect(resolutionOf(port, index({ port: '8081' }))).toBeNull();
    const flag = modified([{ attribute: 'ebs_optimized', expected: false, actual: true }]);
    expect(resolutionOf(flag, index({ ebs_optimized: 'true' }))).toBe(
      'state now holds the changed value (ebs_optimized)',
    );
    expect(resolutionOf(flag, index({ ebs_optimized: 'false' }))).toBeNull();
    const text = modified([{ attribute: 'instance_type', expected: 't3.micro', actual: 't3.large' }]);
    expect(resolutionOf(text, index({ instance_type: 't3.large' }))).not.toBeNull();
  });

  it('matches null with its text form, as the other scalars', () => {
    const cleared = modified([{ attribute: 'key_name', expected: 'ops', actual: 'null' }]);
    expect(resolutionOf(cleared, index({ key_name: null }))).toBe(
      'state now holds the changed value (key_name)',
    );
    expect(resolutionOf(cleared, index({ key_name: 'ops' }))).toBeNull();
  });

  it('never matches a list or object with a scalar whose text looks the same', () => {
    const drift = modified([{ attribute: 'security_groups', expected: 'sg-1', actual: 'sg-2' }]);
    expect(resolutionOf(drift, index({ security_groups: ['sg-2'] }))).toBeNull();
    const list = modified([{ attribute: 'security_groups', expected: ['sg-1'], actual: ['sg-2'] }]);
    expect(resolutionOf(list, index({ security_groups: 'sg-2' }))).toBeNull();
    expect(resolutionOf(list, index({ security_groups: ['sg-2'] }))).not.toBeNull();
  });

  it('keeps a redacted change open even when the state reads the same placeholder', () => {
    const secret = modified([{ attribute: 'user_data', expected: '(sensitive)', actual: '(sensitive)' }]);
    expect(resolutionOf(secret, index({ user_data: '(sensitive)' }))).toBeNull();
    const plain = modified([{ attribute: 'user_data', expected: 'a', actual: 'b' }]);
    expect(resolutionOf(plain, index({ user_data: 'b' }))).not.toBeNull();
  });

  it('keeps a change open when its attribute path cannot be read, whatever its value', () => {
    // `tags[Name]` is not in the path language (brackets hold an index, * or field=value).
    const unreadable = modified([{ attribute: 'tags[Name]', expected: 'web', actual: undefined }]);
    expect(resolutionOf(unreadable, index({ tags: { Name: 'web' } }))).toBeNull();
    const readable = modified([{ attribute: 'tags.Owner', expected: 'web', actual: null }]);
    expect(resolutionOf(readable, index({ tags: { Name: 'web' } }))).toBe(
      'state now holds the changed value (tags.Owner)',
    );
  });

  it('names every changed attribute, in the plural, once all of them match', () => {
    const drift = modified([
      { attribute: 'instance_type', expected: 't3.micro', actual: 't3.large' },
      { attribute: 'monitoring', expected: false, actual: true },
    ]);
    expect(resolutionOf(drift, index({ instance_type: 't3.large', monitoring: true }))).toBe(
      'state now holds the changed values (instance_type, monitoring)',
    );
    expect(resolutionOf(drift, index({ instance_type: 't3.large', monitoring: false }))).toBeNull();
  });
});

describe('which state resource a drift is compared with', () => {
  it('only the one in the drift’s own state file', () => {
    const drift = modified([{ attribute: 'instance_type', expected: 't3.micro', actual: 't3.large' }]);
    expect(resolutionOf(drift, index({ instance_type: 't3.large' }, OTHER))).toBeNull();
    expect(resolutionOf(drift, index({ instance_type: 't3.large' }, FILE))).not.toBeNull();
    // A drift that names no state file matches the address in any file.
    const anyFile = modified(
      [{ attribute: 'instance_type', expected: 't3.micro', actual: 't3.large' }],
      null,
    );
    expect(resolutionOf(anyFile, index({ instance_type: 't3.large' }, OTHER))).not.toBeNull();
  });

  it('a deletion names the state file it left, and only the address when it names none', () => {
    const base = sampleDrift(3, { kind: 'deleted', address: 'aws_instance.gone' });
    expect(resolutionOf(base, index({}))).toBe(
      'aws_instance.gone is no longer in state examples/demo/app.tfstate',
    );
    const noFile = { ...base, resource: { ...base.resource, stateFile: null } };
    expect(resolutionOf(noFile, index({}))).toBe('aws_instance.gone is no longer in state');
  });
});

describe('an unmanaged resource becoming managed', () => {
  it('is found by id only among resources of its own type', () => {
    expect(resolutionOf(unmanaged('aws_instance', 'i-0abc1', null), index({}))).toBe(
      `now managed by Terraform as aws_instance.web (${FILE})`,
    );
    // The id is in state, but on an instance; the drift is about a volume with that id.
    expect(resolutionOf(unmanaged('aws_ebs_volume', 'i-0abc1', null), index({}))).toBeNull();
  });

  it('is found by ARN when it has no id, again only within its type', () => {
    const arn = 'arn:aws:ec2:eu-west-1:123456789012:elastic-ip/eipalloc-0f00';
    expect(resolutionOf(unmanaged('aws_eip', null, arn), index({}))).toBe(
      `now managed by Terraform as aws_eip.web (${FILE})`,
    );
    expect(resolutionOf(unmanaged('aws_eip_association', null, arn), index({}))).toBeNull();
    expect(resolutionOf(unmanaged('aws_eip', null, null), index({}))).toBeNull();
  });
});
