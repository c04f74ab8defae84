import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildStateIndex } from '../../lambdas/core/state.js';
import type { Drift } from '../../lambdas/core/types.js';
import { resolutionOf } from '../../lambdas/services/reevaluate.js';
import { sampleDrift } from '../support/drift-samples.js';

const file = 'test/fixtures/tfstate/tfdrift-falco-detector.tfstate';
const text = readFileSync(join(import.meta.dirname, '../..', file), 'utf8');
const base = sampleDrift(1);

function drift(over: Partial<Drift>): Drift {
  return { ...base, ...over };
}

const versioning = (status: string) => {
  const doc = JSON.parse(text);
  for (const r of doc.resources) {
    if (r.type === 'aws_s3_bucket_versioning')
      r.instances[0].attributes.versioning_configuration[0].status = status;
    if (r.type === 'aws_instance') r.instances = [];
  }
  return buildStateIndex([{ file, text: JSON.stringify(doc) }]);
};

const modified = drift({
  resource: {
    type: 'aws_s3_bucket_versioning',
    address: 'aws_s3_bucket_versioning.data',
    id: 'tfdrift-falco-test-data-943198b9',
    arn: null,
    stateFile: file,
  },
  changes: [{ attribute: 'versioning_configuration[0].status', expected: 'Enabled', actual: 'Suspended' }],
});

describe('re-evaluation after a state reload', () => {
  it('resolves a modification once state holds the changed value', () => {
    expect(resolutionOf(modified, versioning('Enabled'))).toBeNull();
    expect(resolutionOf(modified, versioning('Suspended'))).toBe(
      'state now holds the changed value (versioning_configuration[0].status)',
    );
  });

  it('keeps drifts whose values cannot be compared (secrets, no changes)', () => {
    const secret = drift({
      ...modified,
      changes: [{ attribute: 'password', expected: '(sensitive)', actual: '(sensitive)' }],
    });
    expect(resolutionOf(secret, versioning('Suspended'))).toBeNull();
    expect(resolutionOf(drift({ ...modified, changes: [] }), versioning('Suspended'))).toBeNull();
  });

  it('resolves a deletion once the resource left state, and an unmanaged resource once imported', () => {
    const deleted = drift({
      kind: 'deleted',
      resource: {
        type: 'aws_instance',
        address: 'aws_instance.webserver',
        id: 'i-0cea65ac652556767',
        arn: null,
        stateFile: file,
      },
    });
    expect(resolutionOf(deleted, buildStateIndex([{ file, text }]))).toBeNull();
    expect(resolutionOf(deleted, versioning('Enabled'))).toContain(
      'aws_instance.webserver is no longer in state',
    );
    const unmanaged = drift({
      kind: 'unmanaged',
      resource: {
        type: 'aws_instance',
        address: null,
        id: 'i-0cea65ac652556767',
        arn: null,
        stateFile: null,
      },
    });
    expect(resolutionOf(unmanaged, buildStateIndex([{ file, text }]))).toBe(
      `now managed by Terraform as aws_instance.webserver (${file})`,
    );
    expect(resolutionOf(unmanaged, versioning('Enabled'))).toBeNull();
  });
});
