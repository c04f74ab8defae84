// rules/synthetics.yaml: the CloudWatch guide's UpdateCanary record (corpus) and doc-shaped records
// (test/fixtures/rules/synthetics/events.doc-shaped.json). The canary's id is its name.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('synthetics', 'synthetics.amazonaws.com');
const corpusRecord = corpusCopy('synthetics');
const canary = (name: string, extra = {}) =>
  res('aws_synthetics_canary', name, {
    name,
    handler: 'index.handler',
    schedule: [{ expression: 'rate(5 minutes)', duration_in_seconds: 0 }],
    start_canary: true,
    ...extra,
  });

const cases: RuleCase[] = [
  created('synthetics.canary.create', doc.CreateCanary, 'aws_synthetics_canary'),
  modified(
    'synthetics.canary.update',
    corpusRecord('awsdocs-amazon-cloudwatch-user-guide/doc_source/logging_cw_api_calls__6.json'),
    canary('sample_canary_name'),
    'medium',
    { 'schedule[0].expression': 'rate(1 minute)', handler: 'myOwnScript.handler' },
    canary('sample_canary_name', {
      handler: 'myOwnScript.handler',
      schedule: [{ expression: 'rate(1 minute)', duration_in_seconds: 0 }],
    }),
  ),
  modified(
    'synthetics.canary.stop',
    doc.StopCanary,
    canary('checkout'),
    'medium',
    { start_canary: false },
    canary('checkout', { start_canary: false }),
  ),
  modified(
    'synthetics.canary.start',
    doc.StartCanary,
    canary('checkout', { start_canary: false }),
    'low',
    { start_canary: true },
    canary('checkout'),
  ),
  deleted('synthetics.canary.delete', doc.DeleteCanary, canary('checkout')),
];

describe('rules/synthetics.yaml', () => {
  ruleCases('rules/synthetics.yaml', cases);
});
