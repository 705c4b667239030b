import aslValidator = require('asl-validator');
import * as handlerErrors from '../../handlers/errors';
import { buildWorkflowDefinition } from '../../lib/workflow-definition';
import { HANDLER_ERRORS } from '../../workflow/steps';
import { resolveReferences } from '../support/references';
import { onlyResource, synthWorkflowStack, type TerraformJson } from '../support/synth';

const STEPS = ['CreateOrder', 'HoldPayment', 'AcceptPayment'];
const FUNCTION_OF: Record<string, string> = {
  CreateOrder: 'mock-create-order',
  HoldPayment: 'mock-hold-payment',
  AcceptPayment: 'mock-accept-payment',
};
const functionArn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

describe('Definition: payment workflow', () => {
  let stack: TerraformJson;
  let text: string;
  let definition: any;
  // In beforeAll, so that a run selecting none of these tests (as `npm run mutate` does for most mutants) skips it.
  beforeAll(() => {
    // The alarms play no part in the definition, and are half of a synthesis.
    ({ stack } = synthWorkflowStack({ alarms: false }));
    text = resolveReferences(onlyResource(stack, 'aws_sfn_state_machine').definition, stack);
    // asl-validator fills in defaults in what it validates: give it a copy of its own.
    definition = JSON.parse(text);
  });

  it('is valid Amazon States Language', () => {
    // Act
    const result = aslValidator(JSON.parse(text));
    // Assess
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('explains the workflow and each state that is not a step in its Comment, which the console and the AWS console show', () => {
    const comments = Object.fromEntries(
      Object.entries(definition.States)
        .filter(([, state]: [string, any]) => state.Comment !== undefined)
        .map(([name, state]: [string, any]) => [name, state.Comment]),
    );
    expect(definition.Comment).toBe('Mock payment workflow: create the order, hold the payment, accept the payment');
    expect(comments).toEqual({
      RecordCreateOrderFailure: 'Marks the order failed at CreateOrder, unless it is paid',
      RecordHoldPaymentFailure: 'Marks the order failed at HoldPayment, unless it is paid',
      RecordAcceptPaymentFailure: 'Marks the order failed at AcceptPayment, unless it is paid',
      ReadRejection:
        "Lambda reports a function's error as the JSON {errorType, errorMessage, trace}: parse it to keep the message",
      RejectInput:
        'The execution input must be {"orderId": "<1 to 64 of A-Z a-z 0-9 _ ->"} and nothing else; nothing was written',
    });
  });

  it('ends a failed order with OrderFailed, whose cause says what was written and how to resume', () => {
    expect(definition.States.OrderFailed).toEqual({
      Type: 'Fail',
      Error: 'OrderFailed',
      Cause:
        'A step failed after its retries. The order is marked failed with failedStep and failedError (unless it was ' +
        'already paid); start the execution again with the same input to resume it.',
    });
  });

  it('is written in JSONPath, not JSONata', () => {
    expect(definition.QueryLanguage).toBe('JSONPath');
    expect(Object.values(definition.States).every((s: any) => s.QueryLanguage === undefined)).toBe(true);
  });

  it('runs CreateOrder, HoldPayment and AcceptPayment in that order on the happy path', () => {
    const order: string[] = [];
    for (let name: string | undefined = definition.StartAt; name !== undefined; name = definition.States[name].Next) {
      order.push(name);
    }
    expect(order).toEqual(STEPS);
    expect(definition.States.AcceptPayment.End).toBe(true);
  });

  it.each([
    ['CreateOrder', '$$.Execution.Input'],
    ['HoldPayment', '$'],
    ['AcceptPayment', '$'],
  ])('%s invokes its function with %s and outputs its result', (name, payload) => {
    expect(definition.States[name]).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: functionArn(FUNCTION_OF[name]), 'Payload.$': payload },
      OutputPath: '$.Payload',
    });
  });

  it.each([...STEPS, ...STEPS.map((step) => `Record${step}Failure`)])(
    '%s retries the transient Lambda errors up to 6 times with backoff rate 2 and full jitter',
    (name) => {
      expect(definition.States[name].Retry[0]).toEqual({
        ErrorEquals: [
          'Lambda.ServiceException',
          'Lambda.AWSLambdaException',
          'Lambda.SdkClientException',
          'Lambda.TooManyRequestsException',
          'Lambda.ClientExecutionTimeoutException',
        ],
        IntervalSeconds: 1,
        MaxAttempts: 6,
        BackoffRate: 2,
        MaxDelaySeconds: 20,
        JitterStrategy: 'FULL',
      });
    },
  );

  it.each([...STEPS, ...STEPS.map((step) => `Record${step}Failure`)])(
    '%s retries DynamoDB throttling that outlasted the SDK retries, 3 times',
    (name) => {
      expect(definition.States[name].Retry[1]).toEqual({
        ErrorEquals: [
          'ProvisionedThroughputExceededException',
          'ThrottlingException',
          'RequestLimitExceeded',
          'InternalServerError',
        ],
        IntervalSeconds: 1,
        MaxAttempts: 3,
        BackoffRate: 2,
        MaxDelaySeconds: 20,
        JitterStrategy: 'FULL',
      });
    },
  );

  it('never retries States.ALL or States.TaskFailed, which would retry bugs too', () => {
    const retried = Object.values(definition.States).flatMap((s: any) =>
      (s.Retry ?? []).flatMap((r: any) => r.ErrorEquals),
    );
    expect(retried).not.toContain('States.ALL');
    expect(retried).not.toContain('States.TaskFailed');
  });

  it.each(STEPS)('%s sends invalid input to ReadRejection, on its way to RejectInput, which writes nothing', (name) => {
    expect(definition.States[name].Catch[0]).toEqual({ ErrorEquals: ['InvalidOrderInput'], Next: 'ReadRejection' });
  });

  it("parses Lambda's error JSON in ReadRejection, so that RejectInput's cause is the handler's message, not a stack trace", () => {
    expect(definition.States.ReadRejection).toMatchObject({
      Type: 'Pass',
      Parameters: { 'Cause.$': 'States.StringToJson($.Cause)' },
      Next: 'RejectInput',
    });
    expect(definition.States.RejectInput).toMatchObject({
      Type: 'Fail',
      Error: 'InvalidOrderInput',
      CausePath: '$.Cause.errorMessage',
    });
  });

  it.each([...STEPS, ...STEPS.map((name) => `Record${name}Failure`)])(
    '%s times out after 25 s, longer than its function may run (10 s) plus Lambda init (10 s)',
    (name) => {
      expect(definition.States[name].TimeoutSeconds).toBe(25);
    },
  );

  it.each(STEPS)('%s sends its named errors, then any other error, to the state that records its failure', (name) => {
    expect(definition.States[name].Catch.slice(1)).toEqual([
      {
        ErrorEquals: ['OrderNotFound', 'PaymentNotHeld', 'OrderNotHoldable', 'ConfigurationError'],
        Next: `Record${name}Failure`,
      },
      { ErrorEquals: ['States.ALL'], Next: `Record${name}Failure` },
    ]);
  });

  it.each(STEPS)('Record%sFailure marks the order of the execution input failed at that step, then fails', (name) => {
    expect(definition.States[`Record${name}Failure`]).toMatchObject({
      Type: 'Task',
      Parameters: {
        FunctionName: functionArn('mock-record-failure'),
        Payload: { 'executionInput.$': '$$.Execution.Input', step: name, 'error.$': '$.Error' },
      },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'OrderFailed' }],
      Next: 'OrderFailed',
    });
  });

  it('ends a failed order in the OrderFailed Fail state with a stable error name', () => {
    expect(definition.States.OrderFailed).toMatchObject({ Type: 'Fail', Error: 'OrderFailed' });
  });

  it('names exactly the errors the handlers raise: every error class of handlers/errors.ts, by its name', () => {
    // Every concrete error class, by the name an instance carries (the abstract base keeps Error's).
    const errorClasses = Object.values(handlerErrors).filter((value) => typeof value === 'function') as (new (
      message: string,
    ) => Error)[];
    const raised = errorClasses.map((cls) => new cls('message').name).filter((name) => name !== 'Error');
    expect(raised.sort()).toEqual([
      'ConfigurationError',
      'InvalidFailureRecord',
      'InvalidOrderInput',
      'OrderNotFound',
      'OrderNotHoldable',
      'PaymentNotHeld',
    ]);
    const named = [HANDLER_ERRORS.invalidInput, ...HANDLER_ERRORS.step, ...HANDLER_ERRORS.recorder];
    expect([...named].sort()).toEqual(raised);
  });

  it('rejects a workflow without steps', () => {
    const timeouts = { taskTimeoutSeconds: 25, executionTimeoutSeconds: 1292 };
    expect(() =>
      buildWorkflowDefinition([], 'arn:aws:lambda:us-east-1:123456789012:function:r', 'aws', timeouts),
    ).toThrow('A workflow needs at least one step, received none');
  });
});
