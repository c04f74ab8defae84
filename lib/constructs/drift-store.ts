// The DynamoDB tables, built from the same design constants the adapters read
// (lambdas/adapters/aws/drift-table-design.ts), so table and code cannot disagree.

import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  CONNECTIONS_TABLE,
  DRIFT_INDEXES,
  DRIFTS_TABLE,
  EVENTS_TABLE,
  type IndexDesign,
  type KeyType,
} from '../../lambdas/adapters/aws/drift-table-design.js';

const attributeType = (type: KeyType) => (type === 'N' ? AttributeType.NUMBER : AttributeType.STRING);

function addIndex(table: Table, index: IndexDesign): void {
  table.addGlobalSecondaryIndex({
    indexName: index.indexName,
    partitionKey: { name: index.partitionKey.name, type: attributeType(index.partitionKey.type) },
    sortKey: { name: index.sortKey.name, type: attributeType(index.sortKey.type) },
    projectionType: ProjectionType[index.projection],
    nonKeyAttributes: index.nonKeyAttributes ? [...index.nonKeyAttributes] : undefined,
  });
}

export interface DriftStoreProps {
  /**
   * Keep the drifts table (and its data) when the stack is deleted.
   * @default true
   */
  readonly retainData?: boolean;
}

export class DriftStore extends Construct {
  /** Drifts, keyed on the deterministic drift id; its stream feeds the live feed. */
  readonly drifts: Table;
  /** Recently processed events (GET /api/v1/events); TTL-trimmed. */
  readonly events: Table;
  /** Open WebSocket connections; TTL removes the ones API Gateway never disconnected. */
  readonly connections: Table;

  constructor(scope: Construct, id: string, props: DriftStoreProps = {}) {
    super(scope, id);
    const common = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.retainData ?? true,
    };
    this.drifts = new Table(this, 'Drifts', {
      ...common,
      partitionKey: { name: DRIFTS_TABLE.partitionKey, type: AttributeType.STRING },
      timeToLiveAttribute: DRIFTS_TABLE.ttlAttribute,
      stream: StreamViewType[DRIFTS_TABLE.streamView],
      removalPolicy: props.retainData === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    for (const index of Object.values(DRIFT_INDEXES)) addIndex(this.drifts, index);

    this.events = new Table(this, 'Events', {
      ...common,
      deletionProtection: false,
      partitionKey: { name: EVENTS_TABLE.partitionKey.name, type: AttributeType.STRING },
      sortKey: { name: EVENTS_TABLE.sortKey.name, type: AttributeType.STRING },
      timeToLiveAttribute: EVENTS_TABLE.ttlAttribute,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.connections = new Table(this, 'Connections', {
      ...common,
      deletionProtection: false,
      partitionKey: { name: CONNECTIONS_TABLE.partitionKey.name, type: AttributeType.STRING },
      timeToLiveAttribute: CONNECTIONS_TABLE.ttlAttribute,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    addIndex(this.connections, CONNECTIONS_TABLE.index);
  }
}
