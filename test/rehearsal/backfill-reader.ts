// The member accounts' side of the backfill: the role lib/templates/backfill-reader-role.yaml
// creates in each member account, resolved as CloudFormation would deploy it there for a central
// stack, so the IAM rehearsal decides the backfill's AssumeRole against the trust policy users
// actually deploy (and the reader's own permissions against its policy).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../../lib/bundling.js';
import type { CfnTemplate } from './assembly.js';
import { CfnResolver } from './cfn-resolve.js';

export const BACKFILL_READER_TEMPLATE = join(REPO_ROOT, 'lib', 'templates', 'backfill-reader-role.yaml');

type Policy = { Version?: string; Statement: Record<string, unknown>[] };

export interface BackfillReader {
  readonly roleArn: string;
  readonly trustPolicy: Policy;
  readonly identityPolicies: { name: string; policy: Policy }[];
}

/** The reader role as deployed in `account` with these parameter values. */
export function backfillReader(
  account: string,
  region: string,
  parameters: {
    CentralAccountId: string;
    CentralRegion: string;
    RoleName?: string;
    ExternalId?: string;
  },
): BackfillReader {
  const template = parseYaml(readFileSync(BACKFILL_READER_TEMPLATE, 'utf8')) as CfnTemplate;
  const given = Object.fromEntries(Object.entries(parameters).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  const cfn = new CfnResolver(template, {
    stackName: 'TfdriftBackfillReader',
    account,
    region,
    parameters: given,
  });
  const role = cfn.properties('BackfillReader');
  return {
    roleArn: cfn.getAtt('BackfillReader', 'Arn'),
    trustPolicy: role.AssumeRolePolicyDocument as Policy,
    identityPolicies: (role.Policies as { PolicyName: string; PolicyDocument: Policy }[]).map((p) => ({
      name: p.PolicyName,
      policy: p.PolicyDocument,
    })),
  };
}
