// The command line: scan | serve | demo | rules. Composition only; the work is in scan.ts,
// server.ts and the core. Each command imports its code when it runs, so `--help` and `--version`
// load commander and this file only (the installed command starts in tens of milliseconds).

import { Command, InvalidArgumentError, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { SEVERITIES, type Severity } from '../core/types.js';

function severity(value: string): Severity {
  if (!SEVERITIES.includes(value as Severity)) {
    throw new InvalidArgumentError(`must be one of ${SEVERITIES.join(', ')}`);
  }
  return value as Severity;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

interface ServeFlags {
  state?: string[];
  events?: string[];
  port: number;
  host: string;
  data?: string;
  token?: string;
  config?: string;
  allowHost: string[];
  allowOrigin: string[];
  webhook: string[];
  webhookSecret?: string;
  slackWebhook: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

function serveOptions(command: Command, data: { description: string; default?: string }): Command {
  return command
    .option('--state <path...>', 'state files, folders or s3://bucket/prefix')
    .option('--events <path...>', 'CloudTrail log files or folders to follow, or - for JSON lines on stdin')
    .option('--port <port>', 'port to listen on', port, 8080)
    .option('--host <host>', 'address to bind (beyond loopback needs --token)', '127.0.0.1')
    .option('--data <dir>', data.description, data.default)
    .option(
      '--token <token>',
      'bearer token required on the API (/api/...) and the live feed (/ws), and for the details of /health (or TFDRIFT_TOKEN); the dashboard files, /config.json and /health up/down stay open',
    )
    .option(
      '--allow-host <name>',
      'also answer to this Host name, e.g. a reverse proxy or machine name (repeatable; by default only the bound address, and localhost on loopback)',
      collect,
      [],
    )
    .option(
      '--allow-origin <origin>',
      "also accept writes and the live feed from pages of this origin, e.g. https://drift.example.com (repeatable; by default only the server's own)",
      collect,
      [],
    )
    .option(
      '--webhook <url>',
      'POST each new drift and status change here as JSON (docs/drift-events.md); repeatable',
      collect,
      [],
    )
    .option(
      '--webhook-secret <secret>',
      'sign webhook bodies: X-Tfdrift-Signature: sha256=<hex HMAC-SHA256 of the body> (or TFDRIFT_WEBHOOK_SECRET)',
    )
    .option(
      '--slack-webhook <url>',
      'send each new drift to this Slack incoming webhook; repeatable',
      collect,
      [],
    )
    .option('--config <file>', 'detector config (ignore rules, Terraform principals)');
}

/** The channel options of serve and demo (the secret from the environment when not given). */
function channels(flags: ServeFlags) {
  return {
    webhooks: flags.webhook,
    webhookSecret: flags.webhookSecret ?? process.env.TFDRIFT_WEBHOOK_SECRET,
    slackWebhooks: flags.slackWebhook,
  };
}

/** Ctrl-C closes the server cleanly: the data folder's lock is released and dynalite flushed. */
function closeOnSignal(server: { close(): Promise<void> }): void {
  const stop = () => {
    server.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `-` reads standard input, which can be read only once. */
function stdinUsedOnce(state: readonly string[], events: readonly string[]): void {
  const uses = [...state, ...events].filter((path) => path === '-').length;
  if (uses > 1) {
    throw new Error(
      'standard input (-) can be read only once: give it to --state or to --events, and the other a file',
    );
  }
}

export function buildCli(): Command {
  const program = new Command('tfdrift')
    .description('Real-time Terraform drift detection for AWS: CloudTrail events against Terraform state')
    .version(packageJson.version, '-V, --version', 'print the version')
    .showHelpAfterError();

  program
    .command('scan')
    .description('check CloudTrail logs against state files; exit 0 clean, 2 drift, 1 error')
    .requiredOption('--state <path...>', 'state files, folders (recursive), - (stdin) or s3://bucket/prefix')
    .option('--events <path...>', 'CloudTrail logs (.json, .json.gz, JSON lines), folders, or - (stdin)')
    .option(
      '--lookup <window>',
      'also read CloudTrail event history (LookupEvents, write events) for the last window, e.g. 7d or 36h (at most 90d), with the standard AWS credential chain',
    )
    .option('--region <region...>', 'regions for --lookup (default: the AWS SDK default region)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['json', 'table', 'markdown'])
        .default('table'),
    )
    .option('--fail-on <severity>', 'exit 2 only for findings at or above this severity', severity, 'low')
    .option('--ignore-principal <arn...>', 'principal ARN globs whose calls are not drift')
    .option('--config <file>', 'detector config (YAML): ignore rules, Terraform principals, severities')
    .option('--rules <dir>', 'rule folder (default: the built-in rules)')
    .option('--per-event', 'one finding per drifting event instead of net drift per resource and attribute')
    .action(async (flags) => {
      if (!flags.events && !flags.lookup)
        throw new Error('give --events PATH... or --lookup WINDOW (or both)');
      if (flags.region && !flags.lookup) throw new Error('--region goes with --lookup');
      stdinUsedOnce(flags.state, flags.events ?? []);
      const { runScan } = await import('./scan.js');
      process.exitCode = await runScan({
        mode: flags.perEvent ? 'per-event' : 'net',
        state: flags.state,
        events: flags.events ?? [],
        ...(flags.lookup ? { lookup: { window: flags.lookup, regions: flags.region ?? [] } } : {}),
        format: flags.format,
        failOn: flags.failOn,
        ignorePrincipals: flags.ignorePrincipal ?? [],
        configFile: flags.config,
        rulesDir: flags.rules,
        color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      });
    });

  serveOptions(
    program
      .command('serve')
      .description('serve the dashboard, API and live feed on your own state and events'),
    { description: 'folder where drifts are kept across restarts', default: '.tfdrift' },
  ).action(async (flags: ServeFlags) => {
    stdinUsedOnce(flags.state ?? [], flags.events ?? []);
    const { startServer } = await import('./server.js');
    const server = await startServer({
      statePaths: flags.state ?? [],
      eventPaths: flags.events ?? [],
      port: flags.port,
      host: flags.host,
      dataDir: flags.data,
      token: flags.token ?? process.env.TFDRIFT_TOKEN,
      configFile: flags.config,
      allowHosts: flags.allowHost,
      allowOrigins: flags.allowOrigin,
      ...channels(flags),
    });
    process.stdout.write(`tfdrift serving on ${server.openUrl}\n`);
    closeOnSignal(server);
  });

  serveOptions(
    program
      .command('demo')
      .description('serve the dashboard on a sample state with sample events arriving live'),
    { description: 'keep the demo drifts in this folder (default: in memory, fresh each run)' },
  ).action(async (flags: ServeFlags) => {
    const { startDemo } = await import('./demo.js');
    const demo = await startDemo({
      port: flags.port,
      host: flags.host,
      dataDir: flags.data ?? null,
      token: flags.token ?? process.env.TFDRIFT_TOKEN,
      allowHosts: flags.allowHost,
      allowOrigins: flags.allowOrigin,
      ...channels(flags),
    });
    closeOnSignal(demo);
  });

  const rules = program.command('rules').description('the detection rules');
  rules
    .command('list')
    .description('list rules: id, eventSource, eventNames, resourceTypes, attributes')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'table']).default('table'))
    .option('--rules <dir>', 'rule folder (default: the built-in rules)')
    .action(async (flags) => {
      const [{ loadRulesFromDir }, { summariseRule }] = await Promise.all([
        import('../adapters/local/rule-files.js'),
        import('../core/rules.js'),
      ]);
      const summaries = loadRulesFromDir(flags.rules).rules.map(summariseRule);
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
        return;
      }
      for (const r of summaries) {
        process.stdout.write(
          `${r.id}  ${r.eventSource}  ${r.eventNames.join(',')}  → ${r.resourceTypes.join(',')}\n`,
        );
      }
    });
  return program;
}

/**
 * A reader that stops early (`tfdrift scan | head`) closes the pipe: that is the reader's choice,
 * not an error, so the command ends quietly with the exit code it already has.
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit();
  });
}

export async function main(argv: string[]): Promise<void> {
  endQuietlyOnClosedPipe(process.stdout);
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    process.stderr.write(`tfdrift: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
