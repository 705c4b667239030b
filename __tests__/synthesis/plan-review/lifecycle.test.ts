import { refusedDestroyFindings, settingFindings } from '../../../review/lifecycle';
import type { ResourceChange } from '../../../review/model';

/** The stack-wide settings and the replacements AWS refuses, rule by rule, with literal findings. */

/** A change of one resource with what the rule reads; the rest as a plan of it would have it. */
function change(fields: Pick<ResourceChange, 'type' | 'action' | 'destroys' | 'before'>): ResourceChange {
  return {
    address: `${fields.type}.orders`,
    actions: [],
    after: null,
    afterUnknown: {},
    replacePaths: [],
    predicted: false,
    references: {},
    ...fields,
  };
}

describe('Plan review: stack-wide settings', () => {
  it('flags a region change as data loss, showing both values', () => {
    expect(settingFindings([{ setting: 'provider.aws.region', before: 'eu-west-1', after: 'eu-central-1' }])).toEqual([
      {
        kind: 'data-loss',
        severity: 'risk',
        address: 'provider.aws.region',
        message:
          "stack-wide setting changes: every resource is planned in the new region: the old region's table, functions and state machine are left running, no longer managed, and the new table starts empty",
        details: ['provider.aws.region: "eu-west-1" → "eu-central-1"'],
      },
    ]);
  });

  it('flags another assumed role as a privilege change', () => {
    const [finding] = settingFindings([
      { setting: 'provider.aws.assume_role.0.role_arn', before: undefined, after: 'arn:aws:iam::1:role/x' },
    ]);
    expect([finding.kind, finding.message, finding.details]).toEqual([
      'privilege',
      'stack-wide setting changes: Terraform acts as another role, perhaps in another account: the resources are planned where that role lands, not where they are',
      ['provider.aws.assume_role.0.role_arn: null → "arn:aws:iam::1:role/x"'],
    ]);
  });

  it('flags new default tags as a change', () => {
    const [finding] = settingFindings([
      { setting: 'provider.aws.default_tags.0.tags', before: null, after: { team: 'a' } },
    ]);
    expect([finding.kind, finding.message]).toEqual([
      'change',
      "stack-wide setting changes: every resource's tags change: cost allocation and tag-based access (ABAC) follow the new tags",
    ]);
  });

  it.each(['backend', 'backend.s3.key'])('flags %s as data loss: another state', (setting) => {
    const [finding] = settingFindings([{ setting, before: 'a', after: 'b' }]);
    expect([finding.kind, finding.message]).toEqual([
      'data-loss',
      'stack-wide setting changes: Terraform reads another state: the resources recorded in the old one are unknown to it, so it plans to create them all again (names collide) and never destroys or updates the old ones',
    ]);
  });

  it.each(['provider.aws.profile', 'provider.aws.regions', 'backends.s3', 'other.provider.aws.region'])(
    'flags %s, a setting it does not know, as a change of every resource',
    (setting) => {
      const [finding] = settingFindings([{ setting, before: 'a', after: 'b' }]);
      expect([finding.kind, finding.severity, finding.message]).toEqual([
        'change',
        'risk',
        'stack-wide setting changes: every resource of the stack is planned with the new setting',
      ]);
    },
  );

  it('returns one finding per setting, in order', () => {
    const findings = settingFindings([
      { setting: 'provider.aws.region', before: 'a', after: 'b' },
      { setting: 'provider.aws.profile', before: 'a', after: 'b' },
    ]);
    expect(findings.map((f) => f.address)).toEqual(['provider.aws.region', 'provider.aws.profile']);
  });
});

describe('Plan review: replacements AWS refuses', () => {
  const MESSAGE = (what: string) =>
    `the apply will fail: deletion protection is on (deletion_protection_enabled = true before), and DynamoDB refuses to delete a protected table, which this ${what} must do; turning it off in the same change does not help (hashicorp/terraform-provider-aws#48063): turn it off in a change of its own first`;

  it('flags the replacement of a protected table', () => {
    expect(
      refusedDestroyFindings([
        change({
          type: 'aws_dynamodb_table',
          action: 'replace',
          destroys: true,
          before: { deletion_protection_enabled: true },
        }),
      ]),
    ).toEqual([
      { kind: 'data-loss', severity: 'risk', address: 'aws_dynamodb_table.orders', message: MESSAGE('replacement') },
    ]);
  });

  it('flags the destroy of a protected table', () => {
    expect(
      refusedDestroyFindings([
        change({
          type: 'aws_dynamodb_table',
          action: 'delete',
          destroys: true,
          before: { deletion_protection_enabled: true },
        }),
      ])[0].message,
    ).toBe(MESSAGE('destroy'));
  });

  it.each([
    [
      'an unprotected table',
      change({
        type: 'aws_dynamodb_table',
        action: 'replace',
        destroys: true,
        before: { deletion_protection_enabled: false },
      }),
    ],
    [
      'a protected table updated in place',
      change({
        type: 'aws_dynamodb_table',
        action: 'update',
        destroys: false,
        before: { deletion_protection_enabled: true },
      }),
    ],
    ['a created table', change({ type: 'aws_dynamodb_table', action: 'create', destroys: false, before: null })],
    [
      'another type with the same attribute',
      change({
        type: 'aws_rds_cluster',
        action: 'replace',
        destroys: true,
        before: { deletion_protection_enabled: true },
      }),
    ],
  ])('does not flag %s', (_, resourceChange) => {
    expect(refusedDestroyFindings([resourceChange])).toEqual([]);
  });
});
