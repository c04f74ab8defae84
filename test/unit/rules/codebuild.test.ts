// rules/codebuild.yaml: Panther's UpdateProjectVisibility records (corpus) and doc-shaped records
// (test/fixtures/rules/codebuild/events.doc-shaped.json). aws_codebuild_project.id is the ARN.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('codebuild', 'codebuild.amazonaws.com');
const corpusRecord = corpusCopy('codebuild');
const panther = (n: number) =>
  corpusRecord(`panther-analysis/rules/aws_cloudtrail_rules/aws_codebuild_made_public__${n}.json`);

const A = '111122223333';
const project = (name: string, account = A, extra: Record<string, unknown> = {}) => {
  const arn = `arn:aws:codebuild:us-east-1:${account}:project/${name}`;
  return res('aws_codebuild_project', arn, {
    arn,
    name,
    build_timeout: 60,
    queued_timeout: 480,
    service_role: `arn:aws:iam::${account}:role/codebuild-${name}`,
    project_visibility: 'PRIVATE',
    environment: [
      { image: 'aws/codebuild/standard:7.0', compute_type: 'BUILD_GENERAL1_SMALL', privileged_mode: false },
    ],
    tags: {},
    ...extra,
  });
};
const TOKEN = `arn:aws:codebuild:us-east-1:${A}:token/github`;
const policyArn = `arn:aws:codebuild:us-east-1:${A}:project/api-build`;

const cases: RuleCase[] = [
  created('codebuild.project.create', doc.CreateProject, 'aws_codebuild_project'),
  modified('codebuild.project.update', doc.UpdateProject, project('api-build'), 'high', {
    build_timeout: 480,
    service_role: `arn:aws:iam::${A}:role/codebuild-admin`,
    'environment[0].compute_type': 'BUILD_GENERAL1_LARGE',
    'environment[0].privileged_mode': true,
  }),
  modified(
    'codebuild.project.visibility',
    panther(1),
    project('testproject1234'),
    'high',
    {
      project_visibility: 'PUBLIC_READ',
      resource_access_role: 'arn:aws:iam::111122223333:role/service-role/test',
    },
    project('testproject1234', A, {
      project_visibility: 'PUBLIC_READ',
      resource_access_role: 'arn:aws:iam::111122223333:role/service-role/test',
    }),
  ),
  modified(
    'codebuild.project.visibility',
    panther(2),
    project('testproject1234', A, { project_visibility: 'PUBLIC_READ' }),
    'medium',
    {
      project_visibility: 'PRIVATE',
      resource_access_role: 'arn:aws:iam::111122223333:role/service-role/test',
    },
    undefined,
    'made private',
  ),
  deleted('codebuild.project.delete', doc.DeleteProject, project('api-build')),
  created('codebuild.webhook.create', doc.CreateWebhook, 'aws_codebuild_webhook', 'medium'),
  modified(
    'codebuild.webhook.update',
    doc.UpdateWebhook,
    res('aws_codebuild_webhook', 'api-build', { project_name: 'api-build', build_type: 'BUILD' }),
    'medium',
    { build_type: 'BUILD_BATCH' },
  ),
  deleted(
    'codebuild.webhook.delete',
    doc.DeleteWebhook,
    res('aws_codebuild_webhook', 'api-build', { project_name: 'api-build' }),
    'low',
  ),
  created(
    'codebuild.source-credential.import',
    doc.ImportSourceCredentials,
    'aws_codebuild_source_credential',
    'medium',
  ),
  deleted(
    'codebuild.source-credential.delete',
    doc.DeleteSourceCredentials,
    res('aws_codebuild_source_credential', TOKEN, { arn: TOKEN, server_type: 'GITHUB' }),
  ),
  created('codebuild.report-group.create', doc.CreateReportGroup, 'aws_codebuild_report_group'),
  deleted(
    'codebuild.report-group.delete',
    doc.DeleteReportGroup,
    res('aws_codebuild_report_group', `arn:aws:codebuild:us-east-1:${A}:report-group/api-tests`, {
      name: 'api-tests',
    }),
    'low',
  ),
  modified(
    'codebuild.resource-policy.put',
    doc.PutResourcePolicy,
    res('aws_codebuild_resource_policy', policyArn, {
      resource_arn: policyArn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::444455556666:root' },
            Action: 'codebuild:BatchGetBuilds',
            Resource: policyArn,
          },
        ],
      }),
    }),
    'critical',
    { policy: { Statement: [{ Action: ['codebuild:BatchGetBuilds'], Principal: { AWS: ['*'] } }] } },
  ),
  deleted(
    'codebuild.resource-policy.delete',
    doc.DeleteResourcePolicy,
    res('aws_codebuild_resource_policy', policyArn, { resource_arn: policyArn }),
  ),
];

describe('rules/codebuild.yaml', () => {
  ruleCases('rules/codebuild.yaml', cases);
});
