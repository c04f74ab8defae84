// rules/rolesanywhere.yaml: Stratus Red Team's trust-anchor persistence records (corpus) and
// doc-shaped records (test/fixtures/rules/rolesanywhere/events.doc-shaped.json).

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('rolesanywhere', 'rolesanywhere.amazonaws.com');
const corpusRecord = corpusCopy('rolesanywhere');
const stratus = (n: number) =>
  corpusRecord(
    `stratus-red-team/docs/detonation-logs/aws.persistence.rolesanywhere-create-trust-anchor__${n}.json`,
  );

const A = '111122223333';
const TA = '1a2b3c4d-0000-4000-8000-00000000000a';
const PR = '5e6f7a8b-0000-4000-8000-00000000000b';
const anchor = (extra = {}) =>
  res('aws_rolesanywhere_trust_anchor', TA, {
    arn: `arn:aws:rolesanywhere:us-east-1:${A}:trust-anchor/${TA}`,
    name: 'corp-ca',
    enabled: false,
    source: [{ source_type: 'AWS_ACM_PCA' }],
    tags: { env: 'prod' },
    ...extra,
  });
const profile = (extra = {}) =>
  res('aws_rolesanywhere_profile', PR, {
    arn: `arn:aws:rolesanywhere:us-east-1:${A}:profile/${PR}`,
    name: 'app',
    enabled: true,
    role_arns: [`arn:aws:iam::${A}:role/app`],
    duration_seconds: 3600,
    ...extra,
  });

const cases: RuleCase[] = [
  created('rolesanywhere.trust-anchor.create', stratus(1), 'aws_rolesanywhere_trust_anchor', 'high'),
  modified('rolesanywhere.trust-anchor.update', doc.UpdateTrustAnchor, anchor(), 'high', {
    name: 'partner-ca',
    'source[0].source_type': 'CERTIFICATE_BUNDLE',
  }),
  modified(
    'rolesanywhere.trust-anchor.enable',
    doc.EnableTrustAnchor,
    anchor(),
    'high',
    { enabled: true },
    anchor({ enabled: true }),
  ),
  deleted('rolesanywhere.trust-anchor.delete', doc.DeleteTrustAnchor, anchor()),
  created('rolesanywhere.profile.create', stratus(2), 'aws_rolesanywhere_profile', 'medium'),
  modified('rolesanywhere.profile.update', doc.UpdateProfile, profile(), 'high', {
    role_arns: [`arn:aws:iam::${A}:role/admin`, `arn:aws:iam::${A}:role/app`],
    duration_seconds: 43200,
  }),
  modified(
    'rolesanywhere.profile.enable',
    doc.DisableProfile,
    profile(),
    'medium',
    { enabled: false },
    profile({ enabled: false }),
  ),
  deleted('rolesanywhere.profile.delete', doc.DeleteProfile, profile()),
  modified('rolesanywhere.tags.add', doc.TagResource, anchor(), 'low', { 'tags.owner': 'mallory' }),
  modified('rolesanywhere.tags.remove', doc.UntagResource, anchor(), 'low', { 'tags.env': null }),
];

describe('rules/rolesanywhere.yaml', () => {
  ruleCases('rules/rolesanywhere.yaml', cases);
});
