import { mermaidGraph, workflowChanges } from '../../../review/workflow';
import { change, CREATE_ORDER, decoded, HOLD_PAYMENT, stateMachine } from '../../support/plan-review-changes';

describe('Rule: workflowChanges', () => {
  it('decodes a new state machine as a new workflow definition, each state added', () => {
    const { workflows, findings } = workflowChanges([
      stateMachine('create', null, {
        StartAt: 'CreateOrder',
        States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT },
      }),
    ]);
    expect(decoded(workflows)).toEqual([{ added: ['CreateOrder', 'HoldPayment'], removed: [], changed: {} }]);
    expect(findings).toEqual([
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'new workflow definition',
        details: ['+ CreateOrder (Task)', '+ HoldPayment (Task)'],
      },
    ]);
  });

  it('decodes a deleted state machine as each state removed, drawn as removed', () => {
    const { workflows, findings } = workflowChanges([
      stateMachine(
        'delete',
        { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } },
        null,
        { actions: ['delete'], destroys: true },
      ),
    ]);
    expect(workflows).toEqual([
      {
        address: 'aws_sfn_state_machine.payment_workflow',
        added: [],
        removed: ['CreateOrder', 'HoldPayment'],
        changed: {},
        mermaid: [
          'flowchart TB',
          '  start(("Start"))',
          '  s0("CreateOrder (removed)")',
          '  s1("HoldPayment (removed)")',
          '  classDef added fill:#d4f8d4,stroke:#1a7f37',
          '  classDef changed fill:#fff4c2,stroke:#9a6700',
          '  classDef removed fill:#ffd8d3,stroke:#cf222e,stroke-dasharray:4',
          '  class s0,s1 removed',
        ].join('\n'),
      },
    ]);
    expect(findings).toEqual([
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'workflow definition changes',
        details: ['- CreateOrder (Task)', '- HoldPayment (Task)', '~ definition StartAt'],
      },
    ]);
  });

  it('summarises the states an update adds, removes and changes, and the top-level fields it changes', () => {
    // Prepare
    const acceptPayment = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'mock-accept-payment' },
      End: true,
    };
    const update = stateMachine(
      'update',
      { Comment: 'v1', StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } },
      {
        Comment: 'v2',
        StartAt: 'CreateOrder',
        TimeoutSeconds: 300,
        States: { CreateOrder: { ...CREATE_ORDER, Next: 'AcceptPayment' }, AcceptPayment: acceptPayment },
      },
    );
    // Act
    const { workflows, findings } = workflowChanges([update]);
    // Assess
    expect(decoded(workflows)).toEqual([
      { added: ['AcceptPayment'], removed: ['HoldPayment'], changed: { CreateOrder: ['Next'] } },
    ]);
    expect(findings).toEqual([
      {
        kind: 'workflow',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message:
          'HoldPayment no longer runs (its Task state is removed): orders go from CreateOrder straight to AcceptPayment',
      },
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'workflow definition changes',
        details: [
          '+ AcceptPayment (Task)',
          '- HoldPayment (Task)',
          '~ CreateOrder: Next',
          '~ definition Comment',
          '~ definition TimeoutSeconds',
        ],
      },
    ]);
  });

  it('reports a state removed from the middle of the flow', () => {
    const wait = { Type: 'Wait', Seconds: 5, Next: 'HoldPayment' };
    const update = stateMachine(
      'update',
      {
        StartAt: 'CreateOrder',
        States: { CreateOrder: { ...CREATE_ORDER, Next: 'Wait' }, Wait: wait, HoldPayment: HOLD_PAYMENT },
      },
      { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } },
    );
    expect(decoded(workflowChanges([update]).workflows)).toEqual([
      { added: [], removed: ['Wait'], changed: { CreateOrder: ['Next'] } },
    ]);
  });

  it('reports a new first state', () => {
    const validate = { Type: 'Pass', Next: 'CreateOrder' };
    const update = stateMachine(
      'update',
      { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } },
      { StartAt: 'Validate', States: { Validate: validate, CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } },
    );
    expect(workflowChanges([update]).findings).toEqual([
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'workflow definition changes',
        details: ['+ Validate (Pass)', '~ definition StartAt'],
      },
    ]);
  });

  it('reports a state appended after the last one', () => {
    const lastCreateOrder = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'mock-create-order' },
      End: true,
    };
    const update = stateMachine(
      'update',
      { StartAt: 'CreateOrder', States: { CreateOrder: lastCreateOrder } },
      { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } },
    );
    expect(workflowChanges([update]).findings).toEqual([
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'workflow definition changes',
        details: ['+ HoldPayment (Task)', '~ CreateOrder: End, Next'],
      },
    ]);
  });

  it('finds no workflow change in an update that keeps the definition', () => {
    const definition = { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } };
    const kept = stateMachine('update', definition, definition);
    expect(workflowChanges([kept])).toEqual({ workflows: [], findings: [] });
  });

  it('decodes nothing of a definition that holds no States', () => {
    expect(workflowChanges([stateMachine('update', { Comment: 'v1' }, { Comment: 'v2' })])).toEqual({
      workflows: [],
      findings: [],
    });
  });

  it.each(['no-op', 'read'] as const)('decodes nothing of a state machine whose action is %s', (action) => {
    // Sides that differ, so that only the action keeps the change out.
    const unchanged = stateMachine(
      action,
      { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER } },
      { StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT } },
      { actions: [action] },
    );
    expect(workflowChanges([unchanged])).toEqual({ workflows: [], findings: [] });
  });

  it('decodes only state machines, not another resource with a definition', () => {
    const analysis = change({
      address: 'aws_quicksight_analysis.orders',
      type: 'aws_quicksight_analysis',
      after: { name: 'orders' },
      afterUnknown: { definition: true },
    });
    expect(workflowChanges([analysis])).toEqual({ workflows: [], findings: [] });
  });

  it('flags a state that loses a retry, and not one whose retry only changes its attempts', () => {
    // Prepare
    const serviceRetry = {
      ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'],
      IntervalSeconds: 2,
      MaxAttempts: 3,
      BackoffRate: 2,
    };
    const timeoutRetry = { ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 2 };
    const update = stateMachine(
      'update',
      { StartAt: 'HoldPayment', States: { HoldPayment: { ...HOLD_PAYMENT, Retry: [serviceRetry, timeoutRetry] } } },
      {
        StartAt: 'HoldPayment',
        States: { HoldPayment: { ...HOLD_PAYMENT, Retry: [{ ...timeoutRetry, MaxAttempts: 5 }] } },
      },
    );
    // Act
    const { findings } = workflowChanges([update]);
    // Assess
    expect(findings).toEqual([
      {
        kind: 'workflow',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message:
          'state HoldPayment loses its retry of Lambda.ServiceException, Lambda.TooManyRequestsException: a transient failure now fails the step at once',
      },
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'workflow definition changes',
        details: ['~ HoldPayment: Retry'],
      },
    ]);
  });

  it('flags a state that loses a retrier without ErrorEquals, which States Language does not allow, as a retry of no error', () => {
    const update = stateMachine(
      'update',
      { StartAt: 'HoldPayment', States: { HoldPayment: { ...HOLD_PAYMENT, Retry: [{ MaxAttempts: 2 }] } } },
      { StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT } },
    );
    expect(workflowChanges([update]).findings).toEqual([
      {
        kind: 'workflow',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'state HoldPayment loses its retry of : a transient failure now fails the step at once',
      },
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'workflow definition changes',
        details: ['~ HoldPayment: Retry'],
      },
    ]);
  });

  it('flags a state that loses a catch: the error now fails the execution', () => {
    const recordFailure = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true };
    const update = stateMachine(
      'update',
      {
        StartAt: 'HoldPayment',
        States: {
          HoldPayment: { ...HOLD_PAYMENT, Catch: [{ ErrorEquals: ['PaymentDeclined'], Next: 'RecordFailure' }] },
          RecordFailure: recordFailure,
        },
      },
      { StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT, RecordFailure: recordFailure } },
    );
    expect(workflowChanges([update]).findings).toEqual([
      {
        kind: 'workflow',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'state HoldPayment loses its catch of PaymentDeclined: the error now fails the execution unhandled',
      },
      {
        kind: 'workflow',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'RecordFailure no longer runs (no path from the start reaches it any more)',
      },
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'workflow definition changes',
        details: ['~ HoldPayment: Catch'],
      },
    ]);
  });

  it('says a definition is known only after apply because it names a created and a replaced function, not an updated one', () => {
    // Prepare
    const changes = [
      change({
        address: 'aws_lambda_function.accept_payment',
        type: 'aws_lambda_function',
        action: 'replace',
        actions: ['delete', 'create'],
        destroys: true,
      }),
      change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function' }),
      change({
        address: 'aws_lambda_function.validate_order',
        type: 'aws_lambda_function',
        action: 'create',
        actions: ['create'],
      }),
      stateMachine('update', { StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT } }, null, {
        after: { name: 'mock-payment-workflow' },
        afterUnknown: { definition: true },
        references: {
          definition: [
            'aws_lambda_function.accept_payment',
            'aws_lambda_function.hold_payment',
            'aws_lambda_function.validate_order',
          ],
        },
      }),
    ];
    // Act
    const result = workflowChanges(changes);
    // Assess
    expect(result).toEqual({
      workflows: [],
      findings: [
        {
          kind: 'workflow',
          severity: 'info',
          address: 'aws_sfn_state_machine.payment_workflow',
          message:
            'definition is (known after apply), because it names aws_lambda_function.accept_payment, aws_lambda_function.validate_order, which is created or replaced',
        },
      ],
    });
  });

  it('says a definition is known only after apply, and no cause when it names nothing created or replaced', () => {
    const changes = [
      change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function' }),
      stateMachine('update', { StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT } }, null, {
        after: { name: 'mock-payment-workflow' },
        afterUnknown: { definition: true },
        references: { definition: ['aws_lambda_function.hold_payment'] },
      }),
    ];
    expect(workflowChanges(changes).findings).toEqual([
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'definition is (known after apply)',
      },
    ]);
  });

  it('decodes a definition known only after apply from the synthesis when given, and says so', () => {
    // Prepare
    const before = { StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT } };
    const configured = {
      StartAt: 'HoldPayment',
      States: {
        HoldPayment: { ...HOLD_PAYMENT, Parameters: { FunctionName: '${aws_lambda_function.hold_payment.arn}' } },
      },
    };
    const changes = [
      change({
        address: 'aws_lambda_function.hold_payment',
        type: 'aws_lambda_function',
        action: 'replace',
        actions: ['delete', 'create'],
        destroys: true,
      }),
      stateMachine('update', before, null, {
        after: { name: 'mock-payment-workflow' },
        afterUnknown: { definition: true },
        references: { definition: ['aws_lambda_function.hold_payment'] },
        configured: { definition: JSON.stringify(configured) },
      }),
    ];
    // Act
    const { workflows, findings } = workflowChanges(changes);
    // Assess
    expect(decoded(workflows)).toEqual([{ added: [], removed: [], changed: { HoldPayment: ['Parameters'] } }]);
    expect(findings).toEqual([
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message:
          'definition is (known after apply), because it names aws_lambda_function.hold_payment, which is created or replaced; read from the synthesis, where ${...} is a value decided at apply',
      },
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'workflow definition changes',
        details: ['~ HoldPayment: Parameters'],
      },
    ]);
  });
});

describe('Rule: mermaidGraph', () => {
  it('draws choices, catches, the start and the end, a final state as a stadium', () => {
    // Prepare
    const states = {
      CheckAmount: {
        Type: 'Choice',
        Choices: [{ Variable: '$.amount', NumericGreaterThan: 0, Next: 'HoldPayment' }],
        Default: 'Rejected',
      },
      HoldPayment: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Next: 'Done',
        Catch: [{ ErrorEquals: ['PaymentDeclined'], Next: 'Rejected' }],
      },
      Rejected: { Type: 'Fail', Error: 'PaymentDeclined' },
      Done: { Type: 'Succeed' },
    };
    // Act
    const graph = mermaidGraph(states, 'CheckAmount', { added: ['Done'], removed: [], changed: ['HoldPayment'] });
    // Assess
    expect(graph).toBe(
      [
        'flowchart TB',
        '  start(("Start"))',
        '  s0("CheckAmount")',
        '  s1("HoldPayment")',
        '  s2(["Rejected"])',
        '  s3(["Done"])',
        '  start --> s0',
        '  finish(("End"))',
        '  s0 --> s2',
        '  s0 --> s1',
        '  s1 --> s3',
        '  s1 -.->|"Catch"| s2',
        '  s3 --> finish',
        '  classDef added fill:#d4f8d4,stroke:#1a7f37',
        '  classDef changed fill:#fff4c2,stroke:#9a6700',
        '  classDef removed fill:#ffd8d3,stroke:#cf222e,stroke-dasharray:4',
        '  class s3 added',
        '  class s1 changed',
      ].join('\n'),
    );
  });

  it('writes line breaks as one space and the characters that would break a quoted label as entity codes', () => {
    const graph = mermaidGraph({ 'Check\r\n"amount" & #id': { Type: 'Fail' } }, 'Check\r\n"amount" & #id', {
      added: [],
      removed: [],
      changed: [],
    });
    expect(graph).toBe(
      [
        'flowchart TB',
        '  start(("Start"))',
        '  s0(["Check #34;amount#34; #38; #35;id"])',
        '  start --> s0',
        '  classDef added fill:#d4f8d4,stroke:#1a7f37',
        '  classDef changed fill:#fff4c2,stroke:#9a6700',
        '  classDef removed fill:#ffd8d3,stroke:#cf222e,stroke-dasharray:4',
      ].join('\n'),
    );
  });
});
