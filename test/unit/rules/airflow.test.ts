// rules/airflow.yaml: cloudtrail-watcher's CreateEnvironment record (corpus) and doc-shaped records
// (test/fixtures/rules/airflow/events.doc-shaped.json). The environment's id is its name.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('airflow', 'airflow.amazonaws.com');
const corpusRecord = corpusCopy('airflow');
const environment = (extra = {}) =>
  res('aws_mwaa_environment', 'orchestration', {
    name: 'orchestration',
    webserver_access_mode: 'PRIVATE_ONLY',
    max_workers: 10,
    min_workers: 1,
    airflow_configuration_options: { 'core.default_timezone': 'utc' },
    ...extra,
  });

const cases: RuleCase[] = [
  created(
    'airflow.environment.create',
    corpusRecord('cloudtrail-watcher/test/services/samples/airflow_CreateEnvironment.json'),
    'aws_mwaa_environment',
  ),
  modified(
    'airflow.environment.update',
    doc.UpdateEnvironment,
    environment(),
    'high',
    { webserver_access_mode: 'PUBLIC_ONLY', max_workers: 25 },
    environment({ webserver_access_mode: 'PUBLIC_ONLY', max_workers: 25 }),
  ),
  deleted('airflow.environment.delete', doc.DeleteEnvironment, environment()),
];

describe('rules/airflow.yaml', () => {
  ruleCases('rules/airflow.yaml', cases);
});
