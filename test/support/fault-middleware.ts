// Fault injection at the AWS SDK v3 boundary: a middleware inside the client's retry loop that
// fails a seeded share of attempts the way AWS does (throttling, 5xx, timeouts, access denied).
// "before" faults fail the attempt without sending it; "after" faults send it and then lose the
// answer (the write happened, the caller sees an error: the case that makes retries dangerous).

import { seededRng } from './prng.js';

export type FaultKind = 'throttle' | 'server' | 'timeout' | 'denied';

export interface FaultPlan {
  /** Share of attempts to fail, 0..1. */
  readonly share: number;
  readonly kinds: readonly FaultKind[];
  readonly seed: number;
  /** Only these commands (e.g. PutCommand, PublishCommand); default all. */
  readonly commands?: readonly string[];
  /** Share of faults that happen after the request was sent (lost answer). @default 0 */
  readonly afterShare?: number;
  /** Fail only the first N attempts that qualify, then let everything through. */
  readonly limit?: number;
  /** Only attempts whose command input this accepts (e.g. one S3 key). */
  readonly inputFilter?: (input: Record<string, unknown>) => boolean;
  /** Error name for 'denied' (S3 says AccessDenied). @default AccessDeniedException */
  readonly deniedName?: string;
}

export interface FaultRecord {
  readonly command: string;
  readonly kind: FaultKind;
  readonly when: 'before' | 'after';
  readonly at: number;
}

export interface FaultLog {
  readonly faults: FaultRecord[];
  /** Every attempt (faulted or not), in order, with its time. */
  readonly attempts: { command: string; at: number }[];
  /** Switches injection on and off (e.g. for setup and assertions). */
  enabled: boolean;
}

/** The error an SDK client would raise for this kind of failure (named and shaped as AWS sends it). */
export function awsError(kind: FaultKind, command: string, deniedName = 'AccessDeniedException'): Error {
  const make = (name: string, message: string, status: number, fault: 'client' | 'server') =>
    Object.assign(new Error(`${message} (injected into ${command})`), {
      name,
      $fault: fault,
      $metadata: { httpStatusCode: status, requestId: 'injected', attempts: 1, totalRetryDelay: 0 },
    });
  switch (kind) {
    case 'throttle':
      return make('ThrottlingException', 'Rate exceeded', 400, 'client');
    case 'server':
      return make(
        'InternalServerError',
        'We encountered an internal error. Please try again.',
        500,
        'server',
      );
    case 'timeout':
      return Object.assign(new Error(`socket timed out (injected into ${command})`), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
        $metadata: {},
      });
    case 'denied':
      return make(deniedName, 'User is not authorized to perform this action', 403, 'client');
  }
}

interface MiddlewareClient {
  readonly middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'deserialize'; name: string; priority: 'high' },
    ): void;
  };
}

/** Adds the fault middleware to a client (any SDK v3 client or DynamoDBDocumentClient). */
export function injectFaults(client: unknown, plan: FaultPlan): FaultLog {
  const rng = seededRng(plan.seed);
  const log: FaultLog = { faults: [], attempts: [], enabled: true };
  let injected = 0;
  (client as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      const at = Date.now();
      log.attempts.push({ command, at });
      const eligible =
        log.enabled &&
        (!plan.commands || plan.commands.includes(command)) &&
        (!plan.inputFilter || plan.inputFilter((args as { input?: Record<string, unknown> }).input ?? {})) &&
        (plan.limit === undefined || injected < plan.limit);
      if (!eligible || !rng.chance(plan.share)) return next(args);
      injected += 1;
      const kind = rng.pick(plan.kinds);
      const when = rng.chance(plan.afterShare ?? 0) ? 'after' : 'before';
      log.faults.push({ command, kind, when, at });
      if (when === 'after') await next(args);
      throw awsError(kind, command, plan.deniedName);
    },
    // Inside the retry middleware (finalizeRequest step), so the SDK's own retries see the faults.
    { step: 'deserialize', name: 'tfdriftFaultInjection', priority: 'high' },
  );
  return log;
}
