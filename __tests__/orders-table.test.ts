import { Testing } from 'cdktf';
import { OrdersTable } from '../lib/orders-table';

/** The OrdersTable construct's own defaults, apart from what the stack passes it. */
describe('Construct: OrdersTable', () => {
  const tableOf = (props: Partial<ConstructorParameters<typeof OrdersTable>[2]> = {}) =>
    JSON.parse(
      Testing.synthScope((scope) => {
        new OrdersTable(scope, 'orders-table', { tableName: 'Orders', region: 'us-east-1', accountId: '123456789012', ...props });
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
});
