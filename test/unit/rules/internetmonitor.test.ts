// rules/internetmonitor.yaml: the CloudWatch guide's CreateMonitor record (corpus) and doc-shaped
// records (test/fixtures/rules/internetmonitor/events.doc-shaped.json). The monitor's id is its name.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('internetmonitor', 'internetmonitor.amazonaws.com');
const corpusRecord = corpusCopy('internetmonitor');
const monitor = (extra = {}) =>
  res('aws_internetmonitor_monitor', 'TestMonitor', {
    monitor_name: 'TestMonitor',
    status: 'ACTIVE',
    traffic_percentage_to_monitor: 100,
    ...extra,
  });

const cases: RuleCase[] = [
  created(
    'internetmonitor.monitor.create',
    corpusRecord('awsdocs-amazon-cloudwatch-user-guide/doc_source/logging_cw_api_calls__4.json'),
    'aws_internetmonitor_monitor',
  ),
  modified(
    'internetmonitor.monitor.update',
    doc.UpdateMonitor,
    monitor(),
    'medium',
    { status: 'INACTIVE', traffic_percentage_to_monitor: 10 },
    monitor({ status: 'INACTIVE', traffic_percentage_to_monitor: 10 }),
  ),
  deleted('internetmonitor.monitor.delete', doc.DeleteMonitor, monitor()),
];

describe('rules/internetmonitor.yaml', () => {
  ruleCases('rules/internetmonitor.yaml', cases);
});
