import { Construct } from 'constructs';
import { Op, Token } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { DynamoDbActions } from './policies';
import type { OrderFunction } from './order-function';

/** Properties of an {@link OrdersTable}. */
export interface OrdersTableProps {
  /** Name of the table, prefix included. */
  readonly tableName: string;
  /**
   * ARN of a customer managed KMS key that encrypts the table at rest. Its key policy must let
   * DynamoDB use it for the principal that deploys (see the README's Security section).
   * @default undefined: the AWS owned key DynamoDB encrypts every table with, at no cost
   */
  readonly kmsKeyArn?: string;
  /**
   * Whether `kmsKeyArn` is a Terraform value that may be null at plan (a module input): encryption is
   * then chosen by a conditional expression instead of at synth.
   * @default false
   */
  readonly kmsKeyMayBeNull?: boolean;
  /**
   * Whether DynamoDB refuses to delete the table: a destroy, or a change that replaces the table,
   * fails until this is turned off and applied.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** The hash key of the orders table; the handlers write items keyed by it. */
export const ORDERS_TABLE_HASH_KEY = 'orderId';

/**
 * The DynamoDB table of orders: hash key `orderId` (string), on-demand billing, point-in-time recovery,
 * deletion protection, and a customer managed KMS key if one is given.
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
      deletionProtectionEnabled: props.deletionProtection ?? true,
      // Without a key DynamoDB still encrypts, with its AWS owned key; `enabled: false` would say so
      // less clearly, so the block is left out.
      ...(props.kmsKeyArn === undefined
        ? {}
        : {
            serverSideEncryption: {
              enabled: props.kmsKeyMayBeNull ? (Op.neq(props.kmsKeyArn, Token.nullValue()) as unknown as boolean) : true,
              kmsKeyArn: props.kmsKeyArn,
            },
          }),
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
