// Synthetic CloudTrail traffic for benchmarks, shaped like real records (test/fixtures/corpus): a day's
// mix of reads, failed calls, Terraform's own writes and hand-made writes against managed resources.

export interface Target {
  readonly type: string;
  readonly id: string;
}

const ACCOUNT = '111122223333';

function identity(i: number): Record<string, unknown> {
  return i % 3 === 0
    ? {
        type: 'AssumedRole',
        principalId: `AROAEXAMPLE${i % 50}:alice@example.com`,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com`,
        accountId: ACCOUNT,
        accessKeyId: 'ASIAEXAMPLEKEY',
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: 'AROAEXAMPLE',
            arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef`,
            accountId: ACCOUNT,
            userName: 'AWSReservedSSO_Admin_0123456789abcdef',
          },
          webIdFederationData: {},
          attributes: { creationDate: '2026-01-01T08:00:00Z', mfaAuthenticated: 'false' },
        },
      }
    : {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLE',
        arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
        accountId: ACCOUNT,
        accessKeyId: 'AKIAEXAMPLE',
        userName: 'bob',
      };
}

const TERRAFORM_UA =
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.70.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 os/linux lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.179.2';
const CLI_UA =
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/ec2.modify-instance-attribute';

function base(i: number, source: string, name: string, ua: string): Record<string, unknown> {
  const second = String(i % 60).padStart(2, '0');
  const minute = String(Math.floor(i / 60) % 60).padStart(2, '0');
  const hour = String(Math.floor(i / 3600) % 24).padStart(2, '0');
  return {
    eventVersion: '1.09',
    userIdentity: identity(i),
    eventTime: `2026-01-01T${hour}:${minute}:${second}Z`,
    eventSource: source,
    eventName: name,
    awsRegion: 'eu-west-1',
    sourceIPAddress: `198.51.100.${i % 250}`,
    userAgent: ua,
    requestID: `req-${i.toString(16).padStart(8, '0')}`,
    eventID: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${source.split('.')[0]}.eu-west-1.amazonaws.com`,
    },
  };
}

function write(i: number, target: Target | undefined, ua: string): Record<string, unknown> {
  if (target?.type === 'aws_instance') {
    return {
      ...base(i, 'ec2.amazonaws.com', 'ModifyInstanceAttribute', ua),
      requestParameters: { instanceId: target.id, instanceType: { value: i % 2 ? 't3.large' : 't3.micro' } },
      responseElements: { requestId: `req-${i}`, _return: true },
    };
  }
  if (target?.type === 'aws_security_group') {
    return {
      ...base(i, 'ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', ua),
      requestParameters: {
        groupId: target.id,
        ipPermissions: {
          items: [
            {
              ipProtocol: 'tcp',
              fromPort: 443,
              toPort: 443,
              groups: {},
              ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }] },
              ipv6Ranges: {},
              prefixListIds: {},
            },
          ],
        },
      },
      responseElements: { requestId: `req-${i}`, _return: true },
    };
  }
  return {
    ...base(i, 'ec2.amazonaws.com', 'CreateTags', ua),
    requestParameters: {
      resourcesSet: { items: [{ resourceId: target?.id ?? `vol-${i.toString(16)}` }] },
      tagSet: { items: [{ key: 'Owner', value: `team-${i % 7}` }] },
    },
    responseElements: { requestId: `req-${i}`, _return: true },
  };
}

export interface TrafficMix {
  /** Share of hand-made writes against managed resources: the drift (default 0.2). */
  readonly handWrites?: number;
  /** Share of Terraform's own writes (default 0.1). */
  readonly terraformWrites?: number;
  /** Share of failed calls (default 0.1). The rest are reads. */
  readonly failed?: number;
}

/** `count` records: reads, failed calls, Terraform's writes and hand-made writes, interleaved. */
export function generateEvents(
  count: number,
  targets: readonly Target[],
  mix: TrafficMix = {},
): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) records.push(generateEvent(i, targets, mix));
  return records;
}

/** Record `i` of the traffic generateEvents makes (callers that stream build them one at a time). */
export function generateEvent(
  i: number,
  targets: readonly Target[],
  mix: TrafficMix = {},
): Record<string, unknown> {
  const hand = mix.handWrites ?? 0.2;
  const terraform = mix.terraformWrites ?? 0.1;
  const failed = mix.failed ?? 0.1;
  const target = targets.length > 0 ? targets[(i * 7919) % targets.length] : undefined;
  // A low-discrepancy position in [0, 1): each kind's share holds over any run of records.
  const slot = (i * 0.6180339887498949) % 1;
  if (slot < hand) return write(i, target, CLI_UA);
  if (slot < hand + terraform) return write(i, target, TERRAFORM_UA);
  if (slot < hand + terraform + failed) {
    return {
      ...write(i, target, CLI_UA),
      errorCode: 'Client.UnauthorizedOperation',
      errorMessage: 'You are not authorized to perform this operation.',
    };
  }
  return {
    ...base(i, 'ec2.amazonaws.com', 'DescribeInstances', CLI_UA),
    readOnly: true,
    requestParameters: {
      instancesSet: {},
      filterSet: { items: [{ name: 'tag:Name', valueSet: { items: [{ value: 'web' }] } }] },
    },
    responseElements: null,
  };
}

/** A Terraform AWS provider call (its user agent), for burst benchmarks. */
export function terraformWrite(i: number, target: Target): Record<string, unknown> {
  return write(i, target, TERRAFORM_UA);
}
