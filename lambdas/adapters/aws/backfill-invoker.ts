// POST /api/v1/backfill in AWS: the query API starts the backfill function asynchronously (a run
// reads CloudTrail history for minutes, longer than an HTTP request may wait) and answers 202.

import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

export class LambdaBackfillStarter {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async start(request: { days?: number; by: string }): Promise<void> {
    const answer = await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(
          JSON.stringify({ days: request.days, reason: `asked by ${request.by}` }),
        ),
      }),
    );
    if (answer.StatusCode !== 202)
      throw new Error(`the backfill function was not started (status ${answer.StatusCode})`);
  }
}
