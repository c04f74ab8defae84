// The DynamoDB tables, built from the same design constants the adapters read
// (lambdas/adapters/aws/drift-table-design.ts), so table and code cannot disagree. Each grant is a
// method naming what an adapter does, with exactly the calls it sends: callers never build the
// statements (or the index ARNs) themselves.

import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type CfnTable,
  type ITable,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import {
  CONNECTIONS_TABLE,
  COUNTS_ID,
  DRIFT_INDEXES,
  DRIFTS_TABLE,
  EVENTS_TABLE,
  type IndexDesign,
  type KeyType,
} from '../../lambdas/adapters/aws/drift-table-design.js';

/**
 * DynamoDB calls the detector service makes (lambdas/adapters/aws/dynamo-drift-store.ts and
 * dynamo-event-log.ts): nothing scans or deletes.
 */
export const DRIFTS_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
] as const;
export const EVENTS_TABLE_ACTIONS = ['dynamodb:BatchWriteItem', 'dynamodb:Query'] as const;

/** The drift store as its users see it: the tables and what each adapter may do with them. */
export interface IDriftStore extends IConstruct {
  /** Drifts, keyed on the deterministic drift id; its stream feeds the live feed. */
  readonly drifts: ITable;
  /** Recently processed events (GET /api/v1/events); TTL-trimmed. */
  readonly events: ITable;
  /** Open WebSocket connections; TTL removes the ones API Gateway never disconnected. */
  readonly connections: ITable;
  /** Store drifts and processed events as the detect service does (no scan, no delete). */
  grantWrite(grantee: IGrantable): Grant;
  /** Register a live-feed connection (DynamoConnections.add: PutItem). */
  grantRegisterConnection(grantee: IGrantable): Grant;
  /** Forget a live-feed connection (DynamoConnections.remove: DeleteItem). */
  grantForgetConnection(grantee: IGrantable): Grant;
  /**
   * List the connections on the feed (byFeed index) and drop the gone ones; take the drifts TTL
   * removes out of the counts (an update of the counts item, of no other).
   */
  grantBroadcast(grantee: IGrantable): Grant;
  /** Read the change counter and the changes since a cursor (byChange index); activate a connection. */
  grantResume(grantee: IGrantable): Grant;
}

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

export class DriftStore extends Construct implements IDriftStore {
  readonly drifts: ITable;
  readonly events: ITable;
  readonly connections: ITable;

  constructor(scope: Construct, id: string, props: DriftStoreProps = {}) {
    super(scope, id);
    const common = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.retainData ?? true,
    };
    const drifts = new Table(this, 'Drifts', {
      ...common,
      partitionKey: { name: DRIFTS_TABLE.partitionKey, type: AttributeType.STRING },
      timeToLiveAttribute: DRIFTS_TABLE.ttlAttribute,
      stream: StreamViewType[DRIFTS_TABLE.streamView],
      removalPolicy: props.retainData === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    for (const index of Object.values(DRIFT_INDEXES)) addIndex(drifts, index);
    this.drifts = drifts;

    this.events = new Table(this, 'Events', {
      ...common,
      deletionProtection: false,
      partitionKey: { name: EVENTS_TABLE.partitionKey.name, type: AttributeType.STRING },
      sortKey: { name: EVENTS_TABLE.sortKey.name, type: AttributeType.STRING },
      timeToLiveAttribute: EVENTS_TABLE.ttlAttribute,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const connections = new Table(this, 'Connections', {
      ...common,
      deletionProtection: false,
      partitionKey: { name: CONNECTIONS_TABLE.partitionKey.name, type: AttributeType.STRING },
      timeToLiveAttribute: CONNECTIONS_TABLE.ttlAttribute,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    addIndex(connections, CONNECTIONS_TABLE.index);
    this.connections = connections;
  }

  grantWrite(grantee: IGrantable): Grant {
    const grant = this.drifts
      .grant(grantee, ...DRIFTS_TABLE_ACTIONS)
      .combine(this.events.grant(grantee, ...EVENTS_TABLE_ACTIONS));
    // Table.grant covers the table's indexes with `<table>/index/*`: say why, where cdk-nag looks.
    const owner = grantee.grantPrincipal;
    if (Construct.isConstruct(owner)) {
      const logicalId = Stack.of(this).getLogicalId(this.drifts.node.defaultChild as CfnTable);
      Validations.of(owner).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
        reason:
          'Queries use the global secondary indexes of this one table (lambdas/adapters/aws/drift-table-design.ts).',
      });
    }
    return grant;
  }

  grantRegisterConnection(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:PutItem'],
      resourceArns: [this.connections.tableArn],
    });
  }

  grantForgetConnection(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:DeleteItem'],
      resourceArns: [this.connections.tableArn],
    });
  }

  grantBroadcast(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: [indexArn(this.connections, CONNECTIONS_TABLE.index.indexName)],
    })
      .combine(this.grantForgetConnection(grantee))
      .combine(
        Grant.addToPrincipal({
          grantee,
          actions: ['dynamodb:UpdateItem'],
          resourceArns: [this.drifts.tableArn],
          conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [COUNTS_ID] } },
        }),
      );
  }

  grantResume(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem'],
      resourceArns: [this.drifts.tableArn],
    })
      .combine(
        Grant.addToPrincipal({
          grantee,
          actions: ['dynamodb:Query'],
          resourceArns: [indexArn(this.drifts, DRIFT_INDEXES.byChange.indexName)],
        }),
      )
      .combine(
        Grant.addToPrincipal({
          grantee,
          actions: ['dynamodb:UpdateItem'],
          resourceArns: [this.connections.tableArn],
        }),
      );
  }
}

/** The ARN of a table's index (IAM's `<table ARN>/index/<name>`; CDK has no reference for it). */
function indexArn(table: ITable, indexName: string): string {
  return `${table.tableArn}/index/${indexName}`;
}
