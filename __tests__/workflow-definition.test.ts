import aslValidator = require('asl-validator');
import { buildWorkflowDefinition, TRANSIENT_LAMBDA_ERRORS } from '../lib/workflow-definition';
import { resolveReferences } from './support/references';
import { onlyResource, synthWorkflowStack } from './support/synth';

describe('Definition: payment workflow', () => {
  const { stack } = synthWorkflowStack();
  const text = resolveReferences(onlyResource(stack, 'aws_sfn_state_machine').definition, stack);
  // asl-validator fills in defaults in what it validates: give it a copy of its own.
  const definition = JSON.parse(text);

  it('is valid Amazon States Language', () => {
    // Act
    const result = aslValidator(JSON.parse(text));
    // Assess
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('is written in JSONPath, not JSONata', () => {
    expect(definition.QueryLanguage).toBe('JSONPath');
    expect(Object.values(definition.States).every((s: any) => s.QueryLanguage === undefined)).toBe(true);
  });

  it.each(['CreateOrder', 'HoldPayment', 'AcceptPayment'])('%s invokes its function and outputs its result', (name) => {
    const functionName = { CreateOrder: 'mock-create-order', HoldPayment: 'mock-hold-payment', AcceptPayment: 'mock-accept-payment' }[
      name
    ];
    expect(definition.States[name]).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`, 'Payload.$': '$' },
      OutputPath: '$.Payload',
    });
  });

  it.each(['CreateOrder', 'HoldPayment', 'AcceptPayment'])(
    '%s retries the transient Lambda errors up to 6 times with backoff rate 2 and full jitter',
    (name) => {
      expect(definition.States[name].Retry).toEqual([
        {
          ErrorEquals: [...TRANSIENT_LAMBDA_ERRORS],
          IntervalSeconds: 1,
          MaxAttempts: 6,
          BackoffRate: 2,
          MaxDelaySeconds: 20,
          JitterStrategy: 'FULL',
        },
      ]);
    },
  );

  it('never retries States.ALL or States.TaskFailed, which would retry bugs too', () => {
    const retried = Object.values(definition.States).flatMap((s: any) => (s.Retry ?? []).flatMap((r: any) => r.ErrorEquals));
    expect(retried).not.toContain('States.ALL');
    expect(retried).not.toContain('States.TaskFailed');
  });

  it('rejects a workflow without steps', () => {
    expect(() => buildWorkflowDefinition([], 'aws')).toThrow('A workflow needs at least one step, received none');
  });
});
