import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { DynamoDbActions } from './policies';
import type { OrderFunction } from './order-function';

/** Properties of an {@link OrdersTable}. */
export interface OrdersTableProps {
  /** Name of the table, prefix included. */
  readonly tableName: string;
}

/** The hash key of the orders table; the handlers write items keyed by it. */
export const ORDERS_TABLE_HASH_KEY = 'orderId';

/**
 * The DynamoDB table of orders: hash key `orderId` (string), on-demand billing, point-in-time recovery.
 * Grants are one action each, scoped to this table's ARN.
 */
export class OrdersTable extends Construct {
  /** The DynamoDB table. */
  public readonly table: DynamodbTable;
  /** Name of the table. */
  public readonly tableName: string;
  /** ARN of the table. */
  public readonly tableArn: string;

  constructor(scope: Construct, id: string, props: OrdersTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, 'table', {
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: ORDERS_TABLE_HASH_KEY,
      attribute: [{ name: ORDERS_TABLE_HASH_KEY, type: 'S' }],
      pointInTimeRecovery: { enabled: true },
    });
    this.table.overrideLogicalId('orders');
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
  }

  /** Lets the function create orders (a conditional PutItem). */
  public grantPutItem(fn: OrderFunction): void {
    fn.addToRolePolicy({ Sid: 'PutOrder', Effect: 'Allow', Action: [DynamoDbActions.PUT_ITEM], Resource: [this.tableArn] });
  }

  /** Lets the function move an order's status (a conditional UpdateItem). */
  public grantUpdateItem(fn: OrderFunction): void {
    fn.addToRolePolicy({
      Sid: 'UpdateOrder',
      Effect: 'Allow',
      Action: [DynamoDbActions.UPDATE_ITEM],
      Resource: [this.tableArn],
    });
  }

  /** Lets the function read one order, which hold and accept do only after a failed condition. */
  public grantGetItem(fn: OrderFunction): void {
    fn.addToRolePolicy({ Sid: 'GetOrder', Effect: 'Allow', Action: [DynamoDbActions.GET_ITEM], Resource: [this.tableArn] });
  }
}
