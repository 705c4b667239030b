import * as path from 'node:path';
import { Testing } from 'cdktf';
import { OrderFunction } from '../../lib/order-function';
import { OrdersTable } from '../../lib/orders-table';

/** The OrdersTable construct's own defaults, apart from what the stack passes it. */
describe('Construct: OrdersTable', () => {
  const tableOf = (props: Partial<ConstructorParameters<typeof OrdersTable>[2]> = {}) =>
    JSON.parse(
      Testing.synthScope((scope) => {
        new OrdersTable(scope, 'orders-table', {
          tableName: 'Orders',
          region: 'us-east-1',
          accountId: '123456789012',
          ...props,
        });
      }),
    ).resource.aws_dynamodb_table.orders;

  it('protects the table against deletion when no deletionProtection is given', () => {
    expect(tableOf().deletion_protection_enabled).toBe(true);
  });

  it('keeps point-in-time recovery on and bills on demand, with the hash key orderId', () => {
    expect(tableOf()).toMatchObject({
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'orderId',
      attribute: [{ name: 'orderId', type: 'S' }],
      point_in_time_recovery: { enabled: true },
    });
  });

  it('says AWS owned key explicitly when no key is given', () => {
    expect(tableOf().server_side_encryption).toEqual({ enabled: false });
  });

  it('encrypts with the customer managed key it is given', () => {
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(tableOf({ kmsKeyArn: keyArn }).server_side_encryption).toEqual({ enabled: true, kms_key_arn: keyArn });
  });

  it.each(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem'] as const)(
    'lets a function given only %s, twice, decrypt the table key once, through DynamoDB and for this table',
    (grant) => {
      const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
      const stack = JSON.parse(
        Testing.synthScope((scope) => {
          const table = new OrdersTable(scope, 'orders-table', {
            tableName: 'Orders',
            region: 'us-east-1',
            accountId: '123456789012',
            kmsKeyArn: keyArn,
          });
          const fn = new OrderFunction(scope, 'fn', {
            functionName: 'mock-create-order',
            entry: path.join(__dirname, '..', '..', 'handlers', 'create-order.ts'),
            environment: {},
            logRetentionDays: 1,
          });
          table.grant(fn, grant);
          table.grant(fn, grant);
        }),
      );
      const statements = Object.values(stack.resource.aws_iam_role_policy).flatMap(
        (p: any) => JSON.parse(p.policy).Statement,
      );
      expect(statements.filter((s: any) => s.Sid === 'UseTableKeyThroughDynamoDb')).toEqual([
        {
          Sid: 'UseTableKeyThroughDynamoDb',
          Effect: 'Allow',
          Action: ['kms:Decrypt'],
          Resource: [keyArn],
          Condition: {
            StringEquals: {
              'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com',
              'kms:EncryptionContext:aws:dynamodb:tableName': '${aws_dynamodb_table.orders.name}',
              'kms:EncryptionContext:aws:dynamodb:subscriberId': '123456789012',
            },
          },
        },
      ]);
    },
  );
});
