// Rule coverage over the corpus: shared by scripts/rule-coverage.ts and its test.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { isReadOnlyName } from '../../lambdas/core/cloudtrail.js';

export const CORPUS_DIR = join(import.meta.dirname, '../fixtures/corpus/cloudtrail');
const NOT_DRIFT_DIR = join(import.meta.dirname, '../../rules/not-drift');

/**
 * Services whose calls never change a resource Terraform can own (sign-in, tokens, data planes,
 * telemetry). Their write events are outside the denominator, each for the reason given.
 */
export const OUT_OF_SCOPE: Readonly<Record<string, string>> = {
  'signin.amazonaws.com': 'console sign-in, not a resource',
  'sts.amazonaws.com': 'temporary credentials, not a resource',
  'sso.amazonaws.com': 'portal sign-in and tokens, not a resource',
  'health.amazonaws.com': 'read-only health data',
  'pi.amazonaws.com': 'Performance Insights metrics, read-only',
  'rdsdata.amazonaws.com': 'SQL statements (data plane)',
  'athena.amazonaws.com': 'queries (data plane)',
  'quicksight.amazonaws.com': 'queries (data plane)',
  'ec2messages.amazonaws.com': 'SSM agent messaging (data plane)',
  'ssmmessages.amazonaws.com': 'Session Manager channels (data plane)',
  'ssm-guiconnect.amazonaws.com': 'remote desktop sessions (data plane)',
  'ec2-instance-connect.amazonaws.com': 'temporary SSH keys pushed for one connection',
  'ebs.amazonaws.com': 'EBS direct APIs: snapshot blocks (data plane)',
  's3-outposts.amazonaws.com': 'object writes (data plane)',
  'billingconsole.amazonaws.com': 'billing console reads',
  'inspector.amazonaws.com': 'findings, not resources',
  'fms.amazonaws.com': 'administrator look-ups',
  // Not a service: streamalert redacted these records' eventSource to "...", so no rule can claim them.
  '...': 'eventSource redacted in the source record (streamalert); the service is unknown',
};

interface IndexRow {
  path: string;
  eventSource: string;
  eventName: string;
  readOnly: string;
  eventType: string;
  errorCode: string;
}

export function corpusWriteEvents(): IndexRow[] {
  const lines = readFileSync(join(CORPUS_DIR, 'INDEX.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines
    .map((line) => {
      const [path, eventSource, eventName, readOnly, eventType, errorCode] = line.split('\t');
      return { path, eventSource, eventName, readOnly, eventType, errorCode };
    })
    .filter(
      (r) =>
        // Read-only as the engine judges it: the field (any case), else the call's verb (older
        // records have no readOnly field, and DescribeInstances is no write).
        (r.readOnly === '' ? !isReadOnlyName(r.eventName) : r.readOnly.toLowerCase() !== 'true') &&
        r.errorCode === '' &&
        (r.eventType === '' || r.eventType === 'AwsApiCall'),
    );
}

export function notDriftReasons(): Map<string, string> {
  const reasons = new Map<string, string>();
  let names: string[] = [];
  try {
    names = readdirSync(NOT_DRIFT_DIR).filter((n) => /\.ya?ml$/.test(n));
  } catch {
    return reasons;
  }
  for (const name of names) {
    const doc = parseYaml(readFileSync(join(NOT_DRIFT_DIR, name), 'utf8')) as {
      eventSource: string;
      events: Record<string, string>;
    };
    for (const [event, reason] of Object.entries(doc.events ?? {}))
      reasons.set(`${doc.eventSource}:${event}`, reason);
  }
  return reasons;
}

export interface CoverageReport {
  writeEvents: number;
  outOfScope: number;
  inScope: number;
  matched: number;
  explained: number;
  share: number;
  unexplained: { eventSource: string; eventName: string; count: number }[];
}

export function ruleCoverage(): CoverageReport {
  const rules = loadRulesFromDir();
  const reasons = notDriftReasons();
  const events = corpusWriteEvents();
  const inScope = events.filter((e) => !(e.eventSource in OUT_OF_SCOPE));
  let matched = 0;
  let explained = 0;
  const missing = new Map<string, number>();
  for (const e of inScope) {
    if (rules.forEvent(e.eventSource, e.eventName).length > 0) matched++;
    else if (reasons.has(`${e.eventSource}:${e.eventName}`)) explained++;
    else
      missing.set(
        `${e.eventSource}\t${e.eventName}`,
        (missing.get(`${e.eventSource}\t${e.eventName}`) ?? 0) + 1,
      );
  }
  return {
    writeEvents: events.length,
    outOfScope: events.length - inScope.length,
    inScope: inScope.length,
    matched,
    explained,
    share: inScope.length === 0 ? 0 : (matched + explained) / inScope.length,
    unexplained: [...missing]
      .map(([k, count]) => {
        const [eventSource, eventName] = k.split('\t');
        return { eventSource, eventName, count };
      })
      .sort((a, b) => b.count - a.count),
  };
}
