// EventBridge rule on the stack's drift bus (new drifts) → the chat topics that AWS Chatbot (Amazon Q
// Developer in chat applications) channel configurations subscribe, one topic per minimum severity:
// Chatbot creates its own subscriptions, so a per-channel filter cannot be set on them; the channel
// picks its topic instead. A publish that fails throws, so Lambda retries, then dead-letters.

import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { type ChatTopic, type DeliveryResult, publishChat } from '../services/drift-delivery.js';
import { jsonEnv } from './runtime/env.js';
import { FUNCTION_ENV } from './runtime/function-env.js';
import { functionLogger } from './runtime/powertools-logger.js';

const topics = jsonEnv<ChatTopic[]>(FUNCTION_ENV.chatTopics);
const sns = new SNSClient({});
const logger = functionLogger();

async function publish(topicArn: string, message: string): Promise<void> {
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
}

export async function handler(event: unknown, context?: Context): Promise<DeliveryResult> {
  if (context) logger.addContext(context);
  return publishChat(topics, event, publish, logger);
}
