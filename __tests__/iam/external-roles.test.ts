import { actionsOfService, allowedAmong, everyAwsAction, type PolicyDocument } from '../support/iam';
import { decideAs, decideUnderKeyPolicy, fillPolicy, identityWith } from '../support/policy-files';
import { TEST_ACCOUNT, TEST_REGION } from '../support/references';
import {
  ALWAYS_ALLOWED,
  DEPLOYER_ALARM_ACTIONS,
  DEPLOYER_DASHBOARD_ACTIONS,
  DEPLOYER_FUNCTION_ACTIONS,
  DEPLOYER_KEY_ACTIONS,
  DEPLOYER_LOG_GROUP_ACTIONS,
  DEPLOYER_ROLE_ACTIONS,
  DEPLOYER_STATE_MACHINE_ACTIONS,
  DEPLOYER_TABLE_ACTIONS,
  DEPLOYER_TOPIC_ACTIONS,
  KMS_KEY_ARN,
  OPERATOR_ALARM_ACTIONS,
  OPERATOR_EXECUTION_ACTIONS,
  OPERATOR_LOG_GROUP_ACTIONS,
  OPERATOR_STAR_ONLY_ACTIONS,
  OPERATOR_STATE_MACHINE_ACTIONS,
  OPERATOR_TABLE_ACTIONS,
  OTHER_ACCOUNT,
  OTHER_KEY_ARN,
  OTHER_REGION,
  PLAN_ALARM_ACTIONS,
  PLAN_DASHBOARD_ACTIONS,
  PLAN_FUNCTION_ACTIONS,
  PLAN_LOG_GROUP_ACTIONS,
  PLAN_ROLE_ACTIONS,
  PLAN_STATE_MACHINE_ACTIONS,
  PLAN_TABLE_ACTIONS,
  PLAN_TOPIC_ACTIONS,
  STAR_ONLY_ACTIONS,
  expectAll,
  inAccount,
  renamed,
  sorted,
  stackOf,
  strangersOf,
  valuesFor,
  via,
  withStar,
} from '../support/external-roles-spec';

/**
 * The roles around the stack, as the JSON policy documents of `iam/` that docs/security.md points to
 * (this suite: the deployer, plan and operator policies, file by file, and the example key policy).
 * `npm run policies` writes them from lib/external-roles.ts (pure/policies-generated.test.ts checks
 * the committed files against it). Each file is filled in with test values and held, with the IAM
 * simulator of support/iam.ts, to the literal list of calls its role makes
 * (support/external-roles-spec.ts), on the stack's resources, and to what it must not do (denied).
 */

describe.each([
  ['without a name prefix', '', 'dev-'],
  ['with the name prefix "dev-"', 'dev-', ''],
] as const)('Roles around the stack (%s)', (_case, prefix, copyPrefix) => {
  const stack = stackOf(prefix);
  const values = valuesFor(prefix);
  const fill = (file: string): PolicyDocument => fillPolicy(file, values);

  describe('Policy: iam/deployer.json', () => {
    const deployer = identityWith(`deployer${prefix}`, fill('deployer.json'));

    it.each([
      ['the orders table', DEPLOYER_TABLE_ACTIONS, [stack.table]],
      ['each function', DEPLOYER_FUNCTION_ACTIONS, stack.functions],
      ['each role and its inline policy', DEPLOYER_ROLE_ACTIONS, [...stack.functionRoles, stack.stateMachineRole]],
      ['each log group', DEPLOYER_LOG_GROUP_ACTIONS, [...stack.logGroups, ...stack.logGroups.map(withStar)]],
      ['the state machine', DEPLOYER_STATE_MACHINE_ACTIONS, [stack.stateMachine]],
      ['"*", the only resource IAM knows for them', STAR_ONLY_ACTIONS, ['*']],
    ] as const)('lets the deployer make every call the aws provider makes on %s', async (_what, actions, resources) => {
      await expectAll(deployer, actions, resources, 'Allowed');
    });

    it.each([
      ['dynamodb', (): string => stack.table, DEPLOYER_TABLE_ACTIONS],
      ['lambda', (): string => stack.functions[0] as string, DEPLOYER_FUNCTION_ACTIONS],
      ['iam', (): string => stack.stateMachineRole, DEPLOYER_ROLE_ACTIONS],
      ['logs', (): string => stack.logGroups[4] as string, [...DEPLOYER_LOG_GROUP_ACTIONS, 'logs:DescribeLogGroups']],
      [
        'states',
        (): string => stack.stateMachine,
        [...DEPLOYER_STATE_MACHINE_ACTIONS, 'states:ValidateStateMachineDefinition'],
      ],
    ] as const)('allows no other %s action on the resource than those calls', async (service, resource, expected) => {
      expect(allowedAmong(deployer, await actionsOfService(service), resource())).toEqual(sorted(expected));
    });

    it('allows nothing else of every action AWS defines, on any resource, but passing roles (which needs its condition)', async () => {
      const expected = [
        ...DEPLOYER_TABLE_ACTIONS,
        ...DEPLOYER_FUNCTION_ACTIONS,
        ...DEPLOYER_ROLE_ACTIONS,
        ...DEPLOYER_LOG_GROUP_ACTIONS,
        ...DEPLOYER_STATE_MACHINE_ACTIONS,
        ...STAR_ONLY_ACTIONS,
        ...ALWAYS_ALLOWED,
      ];
      expect(sorted(allowedAmong(deployer, await everyAwsAction(), '*'))).toEqual(sorted(expected));
    });

    it.each([
      ['the orders table', DEPLOYER_TABLE_ACTIONS, (): string => stack.table],
      ['a function', DEPLOYER_FUNCTION_ACTIONS, (): string => stack.functions[1] as string],
      ['a role', DEPLOYER_ROLE_ACTIONS, (): string => stack.functionRoles[2] as string],
      ['a log group', DEPLOYER_LOG_GROUP_ACTIONS, (): string => stack.logGroups[3] as string],
      ['the state machine', DEPLOYER_STATE_MACHINE_ACTIONS, (): string => stack.stateMachine],
    ] as const)(
      'does not let the deployer touch what only looks like %s of the stack',
      async (_what, actions, ownResource) => {
        for (const [stranger, resource] of strangersOf(ownResource(), copyPrefix, prefix)) {
          for (const action of actions) {
            expect({ stranger, action, decision: await decideAs(deployer, { action, resource }) }).toEqual({
              stranger,
              action,
              decision: 'ImplicitlyDenied',
            });
          }
        }
      },
    );

    it("lets the deployer pass each function's role to Lambda", async () => {
      for (const role of stack.functionRoles) {
        const decision = await decideAs(deployer, {
          action: 'iam:PassRole',
          resource: role,
          context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
        });
        expect({ role, decision }).toEqual({ role, decision: 'Allowed' });
      }
    });

    it("lets the deployer pass the state machine's role to Step Functions", async () => {
      const context = { 'iam:PassedToService': 'states.amazonaws.com' };
      expect(await decideAs(deployer, { action: 'iam:PassRole', resource: stack.stateMachineRole, context })).toBe(
        'Allowed',
      );
    });

    it.each([
      ["a function's role to Step Functions", (): string => stack.functionRoles[0] as string, 'states.amazonaws.com'],
      ["a function's role to EC2", (): string => stack.functionRoles[0] as string, 'ec2.amazonaws.com'],
      ["the state machine's role to Lambda", (): string => stack.stateMachineRole, 'lambda.amazonaws.com'],
      [
        'a role outside the stack to Lambda',
        (): string => `arn:aws:iam::${TEST_ACCOUNT}:role/Admin`,
        'lambda.amazonaws.com',
      ],
      [
        'a role outside the stack to Step Functions',
        (): string => `arn:aws:iam::${TEST_ACCOUNT}:role/Admin`,
        'states.amazonaws.com',
      ],
      [
        "the copy's function role to Lambda",
        (): string => renamed(stack.functionRoles[0] as string, `${copyPrefix}mock-create-order-role`),
        'lambda.amazonaws.com',
      ],
    ] as const)('does not let the deployer pass %s', async (_what, role, service) => {
      const context = { 'iam:PassedToService': service };
      expect(await decideAs(deployer, { action: 'iam:PassRole', resource: role(), context })).toBe('ImplicitlyDenied');
    });

    it.each([
      ['attach a managed policy to a role of the stack', 'iam:AttachRolePolicy', (): string => stack.stateMachineRole],
      ['read the orders', 'dynamodb:GetItem', (): string => stack.table],
      ['write an order', 'dynamodb:PutItem', (): string => stack.table],
      ['start an execution', 'states:StartExecution', (): string => stack.stateMachine],
      ['invoke a function', 'lambda:InvokeFunction', (): string => stack.functions[0] as string],
      ['open a function to another account', 'lambda:AddPermission', (): string => stack.functions[0] as string],
    ] as const)('does not let the deployer %s', async (_what, action, resource) => {
      expect(await decideAs(deployer, { action, resource: resource() })).toBe('ImplicitlyDenied');
    });
  });

  describe('Policies: the deployer plans before it applies', () => {
    const deployer = identityWith(`deployer-plans${prefix}`, fill('deployer.json'), fill('deployer-kms.json'));

    it.each([
      ['the orders table', PLAN_TABLE_ACTIONS, [stack.table]],
      ['each function', PLAN_FUNCTION_ACTIONS, stack.functions],
      ['each role and its inline policy', PLAN_ROLE_ACTIONS, [...stack.functionRoles, stack.stateMachineRole]],
      ['each log group', PLAN_LOG_GROUP_ACTIONS, stack.logGroups],
      ['the state machine', PLAN_STATE_MACHINE_ACTIONS, [stack.stateMachine]],
      ['"*"', STAR_ONLY_ACTIONS, ['*']],
    ] as const)('lets the deployer read what the plan role reads of %s', async (_what, actions, resources) => {
      await expectAll(deployer, actions, resources, 'Allowed');
    });

    it.each([
      [
        "the state machine's definition",
        { ...via('states'), 'kms:EncryptionContext:aws:states:stateMachineArn': stack.stateMachine },
      ],
      ["the functions' environment", via('lambda')],
    ])('lets the deployer decrypt %s, as the plan role does', async (_what, context) => {
      expect(await decideAs(deployer, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context })).toBe('Allowed');
    });
  });

  describe('Policy: iam/deployer-kms.json', () => {
    const deployer = identityWith(`deployer-kms${prefix}`, fill('deployer-kms.json'));

    it.each(['dynamodb', 'lambda', 'states'] as const)(
      'lets the deployer use the key through %s as that service documents it',
      async (service) => {
        await expectAllKey(deployer, DEPLOYER_KEY_ACTIONS[service], KMS_KEY_ARN, via(service), 'Allowed');
      },
    );

    it.each(['dynamodb', 'lambda'])(
      "lets %s create a grant on the key for the resource, with the deployer's credentials",
      async (service) => {
        const context = { ...via(service), 'kms:GrantIsForAWSResource': 'true' };
        expect(await decideAs(deployer, { action: 'kms:CreateGrant', resource: KMS_KEY_ARN, context })).toBe('Allowed');
      },
    );

    it.each([
      ['for something else than an AWS resource', { ...via('dynamodb'), 'kms:GrantIsForAWSResource': 'false' }],
      ['through Step Functions, which uses no grants', { ...via('states'), 'kms:GrantIsForAWSResource': 'true' }],
      ['directly, not through a service', {}],
    ] as const)('does not let the deployer create a grant %s', async (_how, context) => {
      expect(await decideAs(deployer, { action: 'kms:CreateGrant', resource: KMS_KEY_ARN, context })).toBe(
        'ImplicitlyDenied',
      );
    });

    it.each([
      ['directly, not through a service', KMS_KEY_ARN, {}],
      ['through another service (S3)', KMS_KEY_ARN, via('s3')],
      ['through DynamoDB in another region', KMS_KEY_ARN, via('dynamodb', OTHER_REGION)],
      ['another key, through DynamoDB', OTHER_KEY_ARN, via('dynamodb')],
    ] as const)('does not let the deployer use the key %s', async (_how, resource, context) => {
      await expectAllKey(deployer, DEPLOYER_KEY_ACTIONS.dynamodb, resource, context, 'ImplicitlyDenied');
    });

    it('allows through each service only what that service documents (CreateGrant only with its condition): no ScheduleKeyDeletion, PutKeyPolicy, ...', async () => {
      const kms = await actionsOfService('kms');
      const allowed = {
        dynamodb: allowedAmong(deployer, kms, KMS_KEY_ARN, via('dynamodb')),
        lambda: allowedAmong(deployer, kms, KMS_KEY_ARN, via('lambda')),
        states: allowedAmong(deployer, kms, KMS_KEY_ARN, via('states')),
      };
      expect(allowed).toEqual({
        dynamodb: [
          'kms:Decrypt',
          'kms:DescribeKey',
          'kms:Encrypt',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
        ],
        lambda: ['kms:Decrypt', 'kms:Encrypt'],
        states: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
      });
    });

    it.each([
      ['re-encrypt through Lambda', 'kms:ReEncryptFrom', via('lambda')],
      ['generate data keys through Lambda', 'kms:GenerateDataKey', via('lambda')],
      ['encrypt through Step Functions', 'kms:Encrypt', via('states')],
      [
        'generate data keys without plaintext through Step Functions',
        'kms:GenerateDataKeyWithoutPlaintext',
        via('states'),
      ],
    ] as const)(
      'does not let the deployer %s, which that service does not document',
      async (_what, action, context) => {
        expect(await decideAs(deployer, { action, resource: KMS_KEY_ARN, context })).toBe('ImplicitlyDenied');
      },
    );
  });

  describe('Policy: iam/deployer-monitoring.json', () => {
    const deployer = identityWith(`deployer-monitoring${prefix}`, fill('deployer-monitoring.json'));

    it.each([
      ['the alarm topic, its policy and its subscription', DEPLOYER_TOPIC_ACTIONS, [stack.alarmTopic]],
      ['each alarm', DEPLOYER_ALARM_ACTIONS, stack.alarms],
      ['the dashboard', DEPLOYER_DASHBOARD_ACTIONS, [stack.dashboard]],
    ] as const)('lets the deployer make every call the aws provider makes on %s', async (_what, actions, resources) => {
      await expectAll(deployer, actions, resources, 'Allowed');
    });

    it('allows nothing else of every action AWS defines, on any resource', async () => {
      const expected = [
        ...DEPLOYER_TOPIC_ACTIONS,
        ...DEPLOYER_ALARM_ACTIONS,
        ...DEPLOYER_DASHBOARD_ACTIONS,
        ...ALWAYS_ALLOWED,
      ];
      expect(sorted(allowedAmong(deployer, await everyAwsAction(), '*'))).toEqual(sorted(expected));
    });

    it.each([
      ['the topic', DEPLOYER_TOPIC_ACTIONS, (): string => stack.alarmTopic],
      ['the dashboard', DEPLOYER_DASHBOARD_ACTIONS, (): string => stack.dashboard],
    ] as const)('does not let the deployer touch what only looks like %s', async (_what, actions, ownResource) => {
      for (const [stranger, resource] of strangersOf(ownResource(), copyPrefix, prefix)) {
        for (const action of actions) {
          expect({ stranger, action, decision: await decideAs(deployer, { action, resource }) }).toEqual({
            stranger,
            action,
            decision: 'ImplicitlyDenied',
          });
        }
      }
    });

    it.each([
      ['an alarm of another project', (): string => renamed(stack.alarms[0] as string, 'billing-errors')],
      [
        "an alarm of the copy's",
        (): string => renamed(stack.alarms[0] as string, `${copyPrefix}mock-payment-workflow-executions-failed`),
      ],
      ['an alarm in another account', (): string => inAccount(stack.alarms[0] as string, OTHER_ACCOUNT)],
    ] as const)('does not let the deployer put or delete %s', async (_what, resource) => {
      await expectAll(
        deployer,
        ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
        [resource()],
        'ImplicitlyDenied',
      );
    });
  });

  describe('Policy: iam/plan-monitoring.json', () => {
    const plan = identityWith(`plan-monitoring${prefix}`, fill('plan-monitoring.json'));

    it('lets the plan role read what a refresh reads of the topic, the alarms and the dashboard', async () => {
      await expectAll(plan, PLAN_TOPIC_ACTIONS, [stack.alarmTopic], 'Allowed');
      await expectAll(plan, PLAN_ALARM_ACTIONS, stack.alarms, 'Allowed');
      await expectAll(plan, PLAN_DASHBOARD_ACTIONS, [stack.dashboard], 'Allowed');
    });

    it('allows nothing else of every action AWS defines, on any resource', async () => {
      const expected = [...PLAN_TOPIC_ACTIONS, ...PLAN_ALARM_ACTIONS, ...PLAN_DASHBOARD_ACTIONS, ...ALWAYS_ALLOWED];
      expect(sorted(allowedAmong(plan, await everyAwsAction(), '*'))).toEqual(sorted(expected));
    });

    it('is what the deployer may read too, so that the deployer can plan', async () => {
      const deployer = identityWith(`deployer-monitoring-plans${prefix}`, fill('deployer-monitoring.json'));
      await expectAll(deployer, PLAN_TOPIC_ACTIONS, [stack.alarmTopic], 'Allowed');
      await expectAll(deployer, PLAN_ALARM_ACTIONS, stack.alarms, 'Allowed');
      await expectAll(deployer, PLAN_DASHBOARD_ACTIONS, [stack.dashboard], 'Allowed');
    });
  });

  describe('Policy: iam/plan.json', () => {
    const plan = identityWith(`plan${prefix}`, fill('plan.json'));

    it.each([
      ['the orders table', PLAN_TABLE_ACTIONS, [stack.table]],
      ['each function', PLAN_FUNCTION_ACTIONS, stack.functions],
      ['each role and its inline policy', PLAN_ROLE_ACTIONS, [...stack.functionRoles, stack.stateMachineRole]],
      ['each log group', PLAN_LOG_GROUP_ACTIONS, stack.logGroups],
      ['the state machine', PLAN_STATE_MACHINE_ACTIONS, [stack.stateMachine]],
      ['"*" (finding log groups, validating the definition)', STAR_ONLY_ACTIONS, ['*']],
    ] as const)('lets the plan role read what a refresh reads of %s', async (_what, actions, resources) => {
      await expectAll(plan, actions, resources, 'Allowed');
    });

    it('allows nothing else of every action AWS defines, on any resource', async () => {
      const expected = [
        ...PLAN_TABLE_ACTIONS,
        ...PLAN_FUNCTION_ACTIONS,
        ...PLAN_ROLE_ACTIONS,
        ...PLAN_LOG_GROUP_ACTIONS,
        ...PLAN_STATE_MACHINE_ACTIONS,
        ...STAR_ONLY_ACTIONS,
        ...ALWAYS_ALLOWED,
      ];
      expect(sorted(allowedAmong(plan, await everyAwsAction(), '*'))).toEqual(sorted(expected));
    });

    it.each([
      ['delete the orders table', 'dynamodb:DeleteTable', (): string => stack.table],
      ['read the orders', 'dynamodb:GetItem', (): string => stack.table],
      ['start an execution', 'states:StartExecution', (): string => stack.stateMachine],
      ['change the state machine', 'states:UpdateStateMachine', (): string => stack.stateMachine],
      ["write a role's inline policy", 'iam:PutRolePolicy', (): string => stack.stateMachineRole],
      ['pass a role', 'iam:PassRole', (): string => stack.functionRoles[0] as string],
      ["change a function's code", 'lambda:UpdateFunctionCode', (): string => stack.functions[0] as string],
      ['invoke a function', 'lambda:InvokeFunction', (): string => stack.functions[0] as string],
      ['delete a log group', 'logs:DeleteLogGroup', (): string => stack.logGroups[0] as string],
      ['read the logs', 'logs:FilterLogEvents', (): string => stack.logGroups[0] as string],
    ] as const)('does not let the plan role %s', async (_what, action, resource) => {
      expect(await decideAs(plan, { action, resource: resource() })).toBe('ImplicitlyDenied');
    });

    it.each([
      ['the orders table', PLAN_TABLE_ACTIONS, (): string => stack.table],
      ['a function', PLAN_FUNCTION_ACTIONS, (): string => stack.functions[3] as string],
      ['the state machine', PLAN_STATE_MACHINE_ACTIONS, (): string => stack.stateMachine],
    ] as const)(
      'does not let the plan role read what only looks like %s of the stack',
      async (_what, actions, ownResource) => {
        for (const [stranger, resource] of strangersOf(ownResource(), copyPrefix, prefix)) {
          for (const action of actions) {
            expect({ stranger, action, decision: await decideAs(plan, { action, resource }) }).toEqual({
              stranger,
              action,
              decision: 'ImplicitlyDenied',
            });
          }
        }
      },
    );
  });

  describe('Policy: iam/plan-kms.json', () => {
    const plan = identityWith(`plan-kms${prefix}`, fill('plan-kms.json'));
    const definition = { ...via('states'), 'kms:EncryptionContext:aws:states:stateMachineArn': stack.stateMachine };

    it("lets the plan role decrypt the state machine's definition through Step Functions", async () => {
      expect(await decideAs(plan, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context: definition })).toBe(
        'Allowed',
      );
    });

    it("lets the plan role decrypt the functions' environment through Lambda", async () => {
      expect(await decideAs(plan, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context: via('lambda') })).toBe(
        'Allowed',
      );
    });

    it.each([
      [
        "another state machine's data",
        'kms:Decrypt',
        KMS_KEY_ARN,
        { ...definition, 'kms:EncryptionContext:aws:states:stateMachineArn': `${stack.stateMachine}-copy` },
      ],
      ['Step Functions data without its encryption context', 'kms:Decrypt', KMS_KEY_ARN, via('states')],
      ['the orders table, through DynamoDB', 'kms:Decrypt', KMS_KEY_ARN, via('dynamodb')],
      ['anything, directly', 'kms:Decrypt', KMS_KEY_ARN, {}],
      ['another key', 'kms:Decrypt', OTHER_KEY_ARN, via('lambda')],
      ['new data keys', 'kms:GenerateDataKey', KMS_KEY_ARN, definition],
      ['new ciphertext', 'kms:Encrypt', KMS_KEY_ARN, via('lambda')],
    ] as const)('does not let the plan role decrypt or encrypt %s', async (_what, action, resource, context) => {
      expect(await decideAs(plan, { action, resource, context })).toBe('ImplicitlyDenied');
    });

    it('allows no other KMS action with the key than Decrypt, through Step Functions or Lambda', async () => {
      const kms = await actionsOfService('kms');
      const allowed = {
        states: allowedAmong(plan, kms, KMS_KEY_ARN, definition),
        lambda: allowedAmong(plan, kms, KMS_KEY_ARN, via('lambda')),
      };
      expect(allowed).toEqual({ states: ['kms:Decrypt'], lambda: ['kms:Decrypt'] });
    });

    it('allows nothing else of every action AWS defines, on any resource, outside those services', async () => {
      expect(allowedAmong(plan, await everyAwsAction(), '*')).toEqual(ALWAYS_ALLOWED);
    });
  });

  describe('Policy: iam/operator.json', () => {
    const operator = identityWith(`operator${prefix}`, fill('operator.json'));

    it.each([
      ['start executions of the state machine', OPERATOR_STATE_MACHINE_ACTIONS, [stack.stateMachine]],
      ['read its executions', OPERATOR_EXECUTION_ACTIONS, [stack.execution]],
      ["read an order's status and find the failed orders", OPERATOR_TABLE_ACTIONS, [stack.table]],
      ["read the workflow's alarms", OPERATOR_ALARM_ACTIONS, stack.alarms],
      [
        'read Lambda\'s account settings, on "*", the only resource IAM knows for it',
        OPERATOR_STAR_ONLY_ACTIONS,
        ['*'],
      ],
      [
        'read the logs of each function and of the state machine',
        OPERATOR_LOG_GROUP_ACTIONS,
        [...stack.logGroups, ...stack.logGroups.map(withStar)],
      ],
    ] as const)('lets the operator %s', async (_what, actions, resources) => {
      await expectAll(operator, actions, resources, 'Allowed');
    });

    it('allows nothing else of every action AWS defines, on any resource', async () => {
      const expected = [
        ...OPERATOR_STATE_MACHINE_ACTIONS,
        ...OPERATOR_EXECUTION_ACTIONS,
        ...OPERATOR_TABLE_ACTIONS,
        ...OPERATOR_ALARM_ACTIONS,
        ...OPERATOR_LOG_GROUP_ACTIONS,
        ...OPERATOR_STAR_ONLY_ACTIONS,
        ...ALWAYS_ALLOWED,
      ];
      expect(sorted(allowedAmong(operator, await everyAwsAction(), '*'))).toEqual(sorted(expected));
    });

    it('allows no other DynamoDB action on the orders table than GetItem and Scan, which only read', async () => {
      expect(allowedAmong(operator, await actionsOfService('dynamodb'), stack.table)).toEqual(
        sorted(OPERATOR_TABLE_ACTIONS),
      );
    });

    it.each([
      ['write an order', 'dynamodb:PutItem', (): string => stack.table],
      ['delete an order', 'dynamodb:DeleteItem', (): string => stack.table],
      ['change an order', 'dynamodb:UpdateItem', (): string => stack.table],
      ['change an alarm', 'cloudwatch:PutMetricAlarm', (): string => stack.alarms[0] as string],
      ['stop an execution', 'states:StopExecution', (): string => stack.execution],
      ['change the state machine', 'states:UpdateStateMachine', (): string => stack.stateMachine],
      ['invoke a function directly', 'lambda:InvokeFunction', (): string => stack.functions[0] as string],
      ['delete a log group', 'logs:DeleteLogGroup', (): string => stack.logGroups[0] as string],
    ] as const)('does not let the operator %s', async (_what, action, resource) => {
      expect(await decideAs(operator, { action, resource: resource() })).toBe('ImplicitlyDenied');
    });

    it.each([
      ['start and list executions of', OPERATOR_STATE_MACHINE_ACTIONS, (): string => stack.stateMachine],
      ['read orders of', OPERATOR_TABLE_ACTIONS, (): string => stack.table],
      ['read the logs of', OPERATOR_LOG_GROUP_ACTIONS, (): string => stack.logGroups[1] as string],
    ] as const)('does not let the operator %s what only looks like the stack', async (_what, actions, ownResource) => {
      for (const [stranger, resource] of strangersOf(ownResource(), copyPrefix, prefix)) {
        for (const action of actions) {
          expect({ stranger, action, decision: await decideAs(operator, { action, resource }) }).toEqual({
            stranger,
            action,
            decision: 'ImplicitlyDenied',
          });
        }
      }
    });

    it('does not let the operator read the executions of another state machine', async () => {
      const resource = stack.execution.replace(
        `:${prefix}mock-payment-workflow:`,
        `:${prefix}mock-payment-workflow-copy:`,
      );
      await expectAll(operator, OPERATOR_EXECUTION_ACTIONS, [resource], 'ImplicitlyDenied');
    });
  });

  describe('Policy: iam/operator-kms.json', () => {
    const operator = identityWith(`operator-kms${prefix}`, fill('operator-kms.json'));
    const executionData = { ...via('states'), 'kms:EncryptionContext:aws:states:stateMachineArn': stack.stateMachine };
    const orders = {
      ...via('dynamodb'),
      'kms:EncryptionContext:aws:dynamodb:tableName': stack.tableName,
      'kms:EncryptionContext:aws:dynamodb:subscriberId': TEST_ACCOUNT,
    };

    it("lets the operator decrypt through Step Functions for the state machine's executions (describe, history)", async () => {
      expect(await decideAs(operator, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context: executionData })).toBe(
        'Allowed',
      );
    });

    it('lets the operator decrypt through DynamoDB to read the orders table', async () => {
      expect(await decideAs(operator, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context: orders })).toBe(
        'Allowed',
      );
    });

    it.each([
      [
        "for another state machine's data",
        'kms:Decrypt',
        KMS_KEY_ARN,
        { ...executionData, 'kms:EncryptionContext:aws:states:stateMachineArn': `${stack.stateMachine}-copy` },
      ],
      [
        'for another table',
        'kms:Decrypt',
        KMS_KEY_ARN,
        { ...orders, 'kms:EncryptionContext:aws:dynamodb:tableName': `${stack.tableName}-copy` },
      ],
      [
        "for another account's table of the same name",
        'kms:Decrypt',
        KMS_KEY_ARN,
        { ...orders, 'kms:EncryptionContext:aws:dynamodb:subscriberId': OTHER_ACCOUNT },
      ],
      [
        "for the table's data outside DynamoDB",
        'kms:Decrypt',
        KMS_KEY_ARN,
        { ...orders, 'kms:ViaService': `s3.${TEST_REGION}.amazonaws.com` },
      ],
      ['directly', 'kms:Decrypt', KMS_KEY_ARN, {}],
      ['with another key', 'kms:Decrypt', OTHER_KEY_ARN, executionData],
      ['to generate data keys for the table', 'kms:GenerateDataKey', KMS_KEY_ARN, orders],
      // Step Functions asks no KMS permission of the caller of StartExecution, RedriveExecution or StopExecution.
      ['to generate data keys for the executions', 'kms:GenerateDataKey', KMS_KEY_ARN, executionData],
      ['to encrypt', 'kms:Encrypt', KMS_KEY_ARN, executionData],
    ] as const)('does not let the operator use the key %s', async (_what, action, resource, context) => {
      expect(await decideAs(operator, { action, resource, context })).toBe('ImplicitlyDenied');
    });

    it('allows no other KMS action with the key, for the executions or for the orders', async () => {
      const kms = await actionsOfService('kms');
      const allowed = {
        executions: allowedAmong(operator, kms, KMS_KEY_ARN, executionData),
        orders: allowedAmong(operator, kms, KMS_KEY_ARN, orders),
      };
      expect(allowed).toEqual({ executions: ['kms:Decrypt'], orders: ['kms:Decrypt'] });
    });

    it('allows nothing else of every action AWS defines, on any resource, outside those services', async () => {
      expect(allowedAmong(operator, await everyAwsAction(), '*')).toEqual(ALWAYS_ALLOWED);
    });
  });

  describe('Policy: iam/key-policy.json (the example key policy)', () => {
    const keyPolicy = fill('key-policy.json');
    const logs = `logs.${TEST_REGION}.amazonaws.com`;
    const delivery = 'delivery.logs.amazonaws.com';

    it.each(['kms:GenerateDataKey', 'kms:Decrypt'])(
      'lets CloudWatch Logs %s for each log group of the workflow',
      async (action) => {
        for (const logGroup of stack.logGroups) {
          const context = { 'kms:EncryptionContext:aws:logs:arn': logGroup };
          expect({
            logGroup,
            decision: await decideUnderKeyPolicy(keyPolicy, logs, { action, resource: KMS_KEY_ARN, context }),
          }).toEqual({
            logGroup,
            decision: 'Allowed',
          });
        }
      },
    );

    it.each([
      [
        'for another log group',
        logs,
        (): string => `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/aws/lambda/SomethingElse`,
      ],
      [
        "for the copy's log group",
        logs,
        (): string => renamed(stack.logGroups[0] as string, `${copyPrefix}mock-create-order`),
      ],
      ['in another region', `logs.${OTHER_REGION}.amazonaws.com`, (): string => stack.logGroups[0] as string],
    ] as const)('does not let CloudWatch Logs use the key %s', async (_what, principal, logGroup) => {
      const context = { 'kms:EncryptionContext:aws:logs:arn': logGroup() };
      expect(
        await decideUnderKeyPolicy(keyPolicy, principal, {
          action: 'kms:GenerateDataKey',
          resource: KMS_KEY_ARN,
          context,
        }),
      ).toBe('ImplicitlyDenied');
    });

    it.each(['kms:Decrypt', 'kms:GenerateDataKey'])(
      'lets CloudWatch %s with the key, without any request context, to publish alarms to the encrypted topic',
      async (action) => {
        expect(
          await decideUnderKeyPolicy(keyPolicy, 'cloudwatch.amazonaws.com', { action, resource: KMS_KEY_ARN }),
        ).toBe('Allowed');
      },
    );

    it('does not let CloudWatch encrypt or manage the key', async () => {
      for (const action of ['kms:Encrypt', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy']) {
        expect({
          action,
          decision: await decideUnderKeyPolicy(keyPolicy, 'cloudwatch.amazonaws.com', {
            action,
            resource: KMS_KEY_ARN,
          }),
        }).toEqual({
          action,
          decision: 'ImplicitlyDenied',
        });
      }
    });

    // The Step Functions guide's statement has no condition; aws:SourceAccount and aws:SourceArn are
    // documented for log delivery to S3 only, and a condition the service does not send would stop the
    // encrypted state machine logs without an error anywhere (docs/offline-is-not-aws.md).
    it('lets the log delivery service decrypt without any request context, as the Step Functions guide writes it', async () => {
      expect(
        await decideUnderKeyPolicy(keyPolicy, delivery, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context: {} }),
      ).toBe('Allowed');
    });

    it('does not let the log delivery service encrypt, generate data keys or manage the key', async () => {
      for (const action of [
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'kms:ReEncryptFrom',
        'kms:CreateGrant',
        'kms:PutKeyPolicy',
      ]) {
        expect({
          action,
          decision: await decideUnderKeyPolicy(keyPolicy, delivery, { action, resource: KMS_KEY_ARN }),
        }).toEqual({
          action,
          decision: 'ImplicitlyDenied',
        });
      }
    });
  });

  async function expectAllKey(
    identity: ReturnType<typeof identityWith>,
    actions: readonly string[],
    resource: string,
    context: Readonly<Record<string, string>>,
    expected: string,
  ) {
    for (const action of actions) {
      expect({ action, decision: await decideAs(identity, { action, resource, context }) }).toEqual({
        action,
        decision: expected,
      });
    }
  }
});
