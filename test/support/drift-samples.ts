// Hand-made drifts for store tests: realistic values (EC2 and S3 from the demo's account).

import type { Drift, DriftKind, Severity } from '../../lambdas/core/types.js';

export function sampleDrift(
  n: number,
  over: Partial<{
    kind: DriftKind;
    severity: Severity;
    address: string | null;
    id: string;
    time: string;
    type: string;
    actor: string;
  }> = {},
): Drift {
  const time = over.time ?? new Date(Date.UTC(2026, 0, 1, 10, 0, n)).toISOString().replace('.000', '');
  const kind = over.kind ?? 'modified';
  const address = over.address === undefined ? `module.app.aws_instance.web[${n % 3}]` : over.address;
  return {
    id: `drift-${String(n).padStart(4, '0')}`,
    kind,
    severity: over.severity ?? 'medium',
    ruleId: 'ec2-instance-attribute',
    resource: {
      type: over.type ?? 'aws_instance',
      address: kind === 'unmanaged' ? null : address,
      id: over.id ?? `i-0abc${n % 3}`,
      arn: null,
      stateFile: kind === 'unmanaged' ? null : 'examples/demo/app.tfstate',
    },
    changes: [{ attribute: 'instance_type', expected: 't3.micro', actual: 't3.large' }],
    actor: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::123456789012:assumed-role/Admin/${over.actor ?? 'alice@example.com'}`,
      name: over.actor ?? 'alice@example.com',
      accountId: '123456789012',
      sourceIp: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0',
    },
    event: {
      id: `evt-${n}`,
      name: 'ModifyInstanceAttribute',
      source: 'ec2.amazonaws.com',
      time,
      region: 'eu-west-1',
      account: '123456789012',
    },
    summary: `instance_type of ${address} changed from t3.micro to t3.large`,
    status: 'open',
    detectedAt: time,
    rawEvent: { eventID: `evt-${n}`, eventName: 'ModifyInstanceAttribute', big: 2 ** 60 },
  };
}
