// `npm start`: the product on a sample state (examples/demo/shop.tfstate) with sample CloudTrail
// events (examples/demo/events.json, shaped on real corpus records) arriving live over about a
// minute, each stamped with the current time and a fresh event id, so drift shows up as it happens.

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBuildCurrent } from '../../web/build-fingerprint.js';
import type { Logger } from '../ports.js';
import { createLogger } from './logger.js';
import { DEFAULT_WEB_ROOT, type RunningServer, startServer } from './server.js';

export const DEMO_DIR = resolve(fileURLToPath(import.meta.url), '../../../examples/demo');

export interface DemoOptions {
  /** @default 8080 */
  readonly port?: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /**
   * Where the demo's drifts are kept. The events are replayed on every start, so a kept folder shows
   * each drift once per run: by default they are held in memory and every run starts fresh.
   * @default null (in memory)
   */
  readonly dataDir?: string | null;
  readonly token?: string;
  /** Passed to the server (see ServerOptions). */
  readonly allowHosts?: readonly string[];
  readonly allowOrigins?: readonly string[];
  /** Drift events POSTed to these URLs, signed with the secret (see ServerOptions). */
  readonly webhooks?: readonly string[];
  readonly webhookSecret?: string;
  readonly slackWebhooks?: readonly string[];
  readonly rulesDir?: string;
  /** Seconds over which the sample events arrive. @default 60 */
  readonly durationSeconds?: number;
  /** Where the demo tells what it does (and where alerts go). @default stdout */
  readonly out?: NodeJS.WritableStream;
  readonly logger?: Logger;
  /** Build the dashboard first when web/dist is missing or, in a checkout, stale. @default true */
  readonly buildDashboard?: boolean;
}

export interface RunningDemo extends RunningServer {
  /** Resolves when every sample event has been sent. */
  readonly replayed: Promise<void>;
}

/** The sample events, in the order they are replayed. */
export function demoRecords(): Record<string, unknown>[] {
  const log = JSON.parse(readFileSync(join(DEMO_DIR, 'events.json'), 'utf8')) as {
    Records: Record<string, unknown>[];
  };
  return log.Records;
}

/**
 * Whether the dashboard in `outDir` must be (re)built before serving: never built, or, in a checkout
 * (the sources in `sourceDir` are there), built from other sources than today's. An installed package
 * carries only the build, which is then served as it is.
 */
export function dashboardBuildNeeded(sourceDir: string, outDir: string): 'missing' | 'stale' | false {
  if (!existsSync(join(outDir, 'index.html'))) return 'missing';
  if (existsSync(join(sourceDir, 'src')) && !isBuildCurrent(sourceDir, outDir)) return 'stale';
  return false;
}

async function ensureDashboard(out: NodeJS.WritableStream, logger: Logger): Promise<void> {
  const needed = dashboardBuildNeeded(dirname(DEFAULT_WEB_ROOT), DEFAULT_WEB_ROOT);
  if (!needed) return;
  out.write(
    needed === 'missing'
      ? 'Building the dashboard (first run)...\n'
      : 'Rebuilding the dashboard (its sources changed)...\n',
  );
  try {
    const { buildWeb } = (await import('../../web/build.js')) as { buildWeb: () => Promise<unknown> };
    await buildWeb();
  } catch (error) {
    logger.warn('dashboard build failed; the API and live feed still work', {
      error: (error as Error).message,
    });
  }
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const out = options.out ?? process.stdout;
  const logger = options.logger ?? createLogger('warn');
  if (options.buildDashboard ?? true) await ensureDashboard(out, logger);
  const records = demoRecords();
  // Shown in alerts and the dashboard: relative to where the user started, like a path they typed.
  const shown = relative(process.cwd(), join(DEMO_DIR, 'shop.tfstate'));
  const statePath = shown && !isAbsolute(shown) ? shown : join(DEMO_DIR, 'shop.tfstate');
  const server = await startServer({
    port: options.port ?? 8080,
    host: options.host,
    dataDir: options.dataDir ?? null,
    token: options.token,
    allowHosts: options.allowHosts,
    allowOrigins: options.allowOrigins,
    webhooks: options.webhooks,
    webhookSecret: options.webhookSecret,
    slackWebhooks: options.slackWebhooks,
    rulesDir: options.rulesDir,
    statePaths: [statePath],
    demo: true,
    alertsOut: out,
    logger,
  });
  const seconds = options.durationSeconds ?? 60;
  out.write(
    `tfdrift demo running at ${server.openUrl}\n` +
      `  state:  ${statePath}\n` +
      `  events: ${records.length} sample CloudTrail calls arriving over the next ${seconds} s; alerts print below.\n` +
      `  drifts: ${options.dataDir ? `kept in ${resolve(options.dataDir)}` : 'in memory, fresh each run (--data DIR keeps them)'}\n` +
      '  Stop with Ctrl+C.\n\n',
  );

  const timers: NodeJS.Timeout[] = [];
  const gap = records.length > 1 ? (seconds * 1000 * 0.95) / (records.length - 1) : 0;
  const replayed = Promise.all(
    records.map(
      (record, i) =>
        new Promise<void>((done) => {
          const timer = setTimeout(
            () => {
              // Now, and new: the detector sees a fresh call, not a redelivery of the last run's.
              const live = {
                ...record,
                eventID: randomUUID(),
                eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
              };
              server.detect
                .handle([live])
                .then((result) => {
                  if (result.created === 0) {
                    const outcome = result.outcomes[0]?.outcome;
                    const why =
                      outcome === undefined
                        ? 'dropped by the event patterns, as EventBridge would (a failed call)'
                        : outcome.result === 'ignored'
                          ? `not drift (${REASONS[outcome.reason] ?? outcome.reason})`
                          : outcome.result;
                    out.write(`demo: ${String(record.eventName)} by ${actorOf(record)}: ${why}\n`);
                  }
                })
                .catch((error) => logger.error('demo event failed', { error: (error as Error).message }))
                .finally(done);
            },
            Math.round(seconds > 0 ? Math.min(2000, gap) + i * gap : 0),
          );
          timers.push(timer);
        }),
    ),
  ).then(() => {
    out.write('demo: all sample events sent; the server keeps running.\n');
  });

  return {
    ...server,
    replayed,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      await server.close();
    },
  };
}

const REASONS: Record<string, string> = {
  'no-change': 'it sets the value the state already holds',
  terraform: "Terraform's own call: a signal to reload state",
  'failed-call': 'the call failed',
  'read-only': 'a read-only call',
};

function actorOf(record: Record<string, unknown>): string {
  const identity = record.userIdentity as Record<string, unknown> | undefined;
  const arn = typeof identity?.arn === 'string' ? identity.arn : '';
  return arn.split('/').pop() || String(identity?.type ?? 'unknown');
}
