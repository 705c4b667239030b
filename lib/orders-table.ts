import { Construct } from 'constructs';
import { Op, Token } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { KmsActions, type PolicyStatement } from './policies';
import type { TableAction } from '../workflow/steps';
import type { OrderFunction } from './order-function';
import { countIfGiven } from './terraform-module';

/** The statement id of each table grant, as the role policies have always named them. */
const GRANT_SIDS: Readonly<Record<TableAction, string>> = {
  'dynamodb:PutItem': 'PutOrder',
  'dynamodb:UpdateItem': 'UpdateOrder',
  'dynamodb:GetItem': 'GetOrder',
};

/** Properties of an {@link OrdersTable}. */
export interface OrdersTableProps {
  /** Name of the table, prefix included. */
  readonly tableName: string;
  /**
   * ARN of a customer managed KMS key that encrypts the table at rest. Its key policy must let
   * DynamoDB use it for the principal that deploys (see docs/security.md).
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
  /** The region the table is in (a Terraform reference): the key's use is limited to DynamoDB there. */
  readonly region: string;
  /** The account the table is in (a Terraform reference), part of DynamoDB's encryption context. */
  readonly accountId: string;
}

/** The hash key of the orders table; the handlers write items keyed by it. */
export const ORDERS_TABLE_HASH_KEY = 'orderId';

/**
 * The DynamoDB table of orders: hash key `orderId` (string), on-demand billing, point-in-time recovery,
 * deletion protection, and a customer managed KMS key if one is given.
 * Grants are one action each, scoped to this table's ARN. With a customer managed key, a grant also
 * lets the function use the key through DynamoDB for this table only: DynamoDB decrypts the table's
 * key with the caller's permission on the KMS key.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html
 */
export class OrdersTable extends Construct {
  /** The DynamoDB table. */
  public readonly table: DynamodbTable;
  /** Name of the table. */
  public readonly tableName: string;
  /** ARN of the table. */
  public readonly tableArn: string;

  private readonly props: OrdersTableProps;
  private readonly keyUsers = new Set<OrderFunction>();

  constructor(scope: Construct, id: string, props: OrdersTableProps) {
    super(scope, id);
    this.props = props;
    this.table = new DynamodbTable(this, 'table', {
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: ORDERS_TABLE_HASH_KEY,
      attribute: [{ name: ORDERS_TABLE_HASH_KEY, type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: props.deletionProtection ?? true,
      // Always written, `enabled: false` being the AWS owned key: the block is optional and computed, so
      // leaving it out when the key is removed would plan no change and leave the table on the old key.
      serverSideEncryption:
        props.kmsKeyArn === undefined
          ? { enabled: false }
          : {
              enabled: props.kmsKeyMayBeNull
                ? (Op.neq(props.kmsKeyArn, Token.nullValue()) as unknown as boolean)
                : true,
              kmsKeyArn: props.kmsKeyArn,
            },
    });
    this.table.overrideLogicalId('orders');
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
  }

  /** Lets the function do one action to this table (workflow/steps.ts says which each step needs). */
  public grant(fn: OrderFunction, action: TableAction): void {
    fn.addToRolePolicy({ Sid: GRANT_SIDS[action], Effect: 'Allow', Action: [action], Resource: [this.tableArn] });
    this.grantKeyUse(fn);
  }

  /**
   * With a customer managed key, lets the function decrypt the table's key, which is all DynamoDB asks
   * of the caller for reads and writes (it generates and encrypts keys under its own grant): only
   * through DynamoDB in the table's region, and only for this table of this account (DynamoDB's
   * encryption context). Once per function, whatever its grants.
   */
  private grantKeyUse(fn: OrderFunction): void {
    const { kmsKeyArn, kmsKeyMayBeNull, region, accountId } = this.props;
    if (kmsKeyArn === undefined || this.keyUsers.has(fn)) return;
    this.keyUsers.add(fn);
    const statement: PolicyStatement = {
      Sid: 'UseTableKeyThroughDynamoDb',
      Effect: 'Allow',
      Action: [KmsActions.DECRYPT],
      Resource: [kmsKeyArn],
      Condition: {
        StringEquals: {
          'kms:ViaService': `dynamodb.${region}.amazonaws.com`,
          'kms:EncryptionContext:aws:dynamodb:tableName': this.tableName,
          'kms:EncryptionContext:aws:dynamodb:subscriberId': accountId,
        },
      },
    };
    if (kmsKeyMayBeNull) {
      // A policy of its own, created only when the key is given: a null key would leave `Resource: null`.
      fn.addConditionalRolePolicy('table-key', [statement], countIfGiven(kmsKeyArn));
    } else {
      fn.addToRolePolicy(statement);
    }
  }
}
