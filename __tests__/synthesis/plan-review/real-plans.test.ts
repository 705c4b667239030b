import { renderJson, renderMarkdown, renderText, verdict } from '../../../review/render';
import { reviewOfPlan, reviewOfPlanWithSynthesis, riskLines } from '../../support/plan-review';

describe('Plan review: real plans of the stack', () => {
  it('counts a first deployment as 43 resources to add, with no risk', () => {
    // Act
    const review = reviewOfPlan('everything-new');
    // Assess
    expect(verdict(review)).toBe('43 to add, 0 to change, 0 to destroy: no risky change');
  });

  it('names the functions whose code a first deployment brings', () => {
    const review = reviewOfPlan('everything-new');
    const code = review.findings.filter((f) => f.kind === 'code').map((f) => `${f.address}: ${f.message}`);
    expect(code).toEqual([
      'aws_lambda_function.accept_payment: new function code',
      'aws_lambda_function.create_order: new function code',
      'aws_lambda_function.hold_payment: new function code',
      'aws_lambda_function.record_failure: new function code',
    ]);
  });

  it('says which service each new role trusts, one line for the roles that trust the same', () => {
    const review = reviewOfPlan('everything-new');
    const trusts = review.findings
      .filter((f) => f.message.startsWith('trusts '))
      .map((f) => `${f.address} ${f.message}`);
    expect(trusts).toEqual([
      'aws_iam_role.accept_payment, aws_iam_role.create_order, aws_iam_role.hold_payment, aws_iam_role.record_failure trusts Service:lambda.amazonaws.com',
      'aws_iam_role.payment_workflow trusts Service:states.amazonaws.com',
    ]);
  });

  it('finds nothing at all in a plan that changes nothing', () => {
    const review = reviewOfPlan('nothing-changes');
    expect(verdict(review)).toBe('0 to add, 0 to change, 0 to destroy: no risky change');
    expect(review.findings).toEqual([]);
  });

  it('reports a changed handler as new code of that one function, and as no risk', () => {
    const review = reviewOfPlan('handler-changes');
    expect(verdict(review)).toBe('0 to add, 1 to change, 0 to destroy: no risky change');
    expect(review.findings.filter((f) => f.kind === 'code')).toEqual([
      {
        kind: 'code',
        severity: 'info',
        address: 'aws_lambda_function.create_order',
        message: 'function code changes',
        details: [
          'source hash "nQP5o0r4gr/ZYwY6+HgQKBa7sL8csIQteOwhpzZzuPU=" → "HN20xbvqSteTm4XLMOzDrsQiKDhUQ6/nxBKie5aEOKk="',
        ],
      },
    ]);
  });

  it('finds the replaced table, the protection turned off, the apply that will fail and the retry removed of a risky change', () => {
    const review = reviewOfPlan('risky-change');
    expect(riskLines(review)).toEqual([
      'data-loss aws_dynamodb_table.orders: is replaced (forced by hash_key): every item in the table is lost',
      'data-loss aws_dynamodb_table.orders: turns deletion protection off: a destroy or a replacement can now delete the table',
      'data-loss aws_dynamodb_table.orders: the apply will fail: deletion protection is on (deletion_protection_enabled = true before), and DynamoDB refuses to delete a protected table, which this replacement must do; turning it off in the same change does not help (hashicorp/terraform-provider-aws#48063): turn it off in a change of its own first',
      'workflow aws_sfn_state_machine.payment_workflow: state HoldPayment loses its retry of Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException, Lambda.TooManyRequestsException, Lambda.ClientExecutionTimeoutException: a transient failure now fails the step at once',
    ]);
  });

  it('lists the state a risky change adds and the fields it changes', () => {
    const review = reviewOfPlan('risky-change');
    expect(review.workflows.map(({ added, removed, changed }) => ({ added, removed, changed }))).toEqual([
      { added: ['WaitForFunds'], removed: [], changed: { CreateOrder: ['Next'], HoldPayment: ['Retry'] } },
    ]);
  });

  it('says that the policies naming a replaced table are known only after apply, and why', () => {
    const review = reviewOfPlan('risky-change');
    const note = review.findings.find((f) => f.address === 'aws_iam_role.hold_payment');
    expect(note?.message).toBe(
      'aws_iam_role_policy.hold_payment: policy is (known after apply), because it names aws_dynamodb_table.orders, which is created or replaced; its new access is shown after apply',
    );
  });

  it('finds both risks of a change that turns deletion protection off and grants dynamodb:DeleteItem on *', () => {
    const review = reviewOfPlan('protection-off-and-delete-item');
    expect(riskLines(review)).toEqual([
      'data-loss aws_dynamodb_table.orders: turns deletion protection off: a destroy or a replacement can now delete the table',
      'privilege aws_iam_role.hold_payment: gains dynamodb:DeleteItem on *: a destructive action on every resource',
    ]);
  });

  it('finds a trust policy that loses its confused-deputy conditions', () => {
    const review = reviewOfPlan('trust-loses-conditions');
    expect(riskLines(review)).toEqual([
      'privilege aws_iam_role.payment_workflow: its trust policy loses its aws:SourceAccount and aws:SourceArn condition: the service may assume the role on behalf of any account or resource (confused deputy)',
    ]);
  });

  it('says the definition is known only after apply because a function it names is replaced', () => {
    const review = reviewOfPlan('sensitive-and-unknown');
    const workflow = review.findings.filter((f) => f.kind === 'workflow');
    expect(workflow.map((f) => f.message)).toEqual([
      'definition is (known after apply), because it names aws_lambda_function.accept_payment, which is created or replaced',
    ]);
  });

  it('never prints a sensitive value or a secret-looking environment value, in any format', () => {
    // Prepare
    const review = reviewOfPlan('sensitive-and-unknown');
    // Act
    const outputs = [renderText(review), renderMarkdown(review), renderJson(review)].join('\n');
    // Assess
    expect(outputs).not.toContain('tok-PLAINTEXT-FROM-VARIABLE');
    expect(outputs).not.toContain('hunter2-PLAINTEXT-LITERAL');
    expect(renderText(review)).toContain('environment[0].variables.PAYMENT_API_TOKEN: null → (sensitive)');
    expect(renderText(review)).toContain('environment[0].variables.DB_PASSWORD: null → (sensitive)');
  });

  it('names in one line the attributes a replacement leaves unknown until apply', () => {
    const text = renderText(reviewOfPlan('sensitive-and-unknown'));
    expect(text).toContain(
      '(known after apply): arn, code_sha256, ephemeral_storage, id, invoke_arn, last_modified, qualified_arn, qualified_invoke_arn, signing_job_arn, signing_profile_version_arn, source_code_size, version',
    );
  });
});

describe('Plan review: real plans read with the head synthesis', () => {
  it('sees the wildcard grant that a replaced table hides in the plan until apply', () => {
    expect(riskLines(reviewOfPlanWithSynthesis('risky-change'))).toContain(
      'privilege aws_iam_role.hold_payment: gains dynamodb:DeleteItem on *: a destructive action on every resource',
    );
  });

  it('decodes a definition known only after apply: only the state naming the replaced function changes', () => {
    const [workflow] = reviewOfPlanWithSynthesis('sensitive-and-unknown').workflows;
    expect({ added: workflow.added, removed: workflow.removed, changed: workflow.changed }).toEqual({
      added: [],
      removed: [],
      changed: { AcceptPayment: ['Parameters'] },
    });
  });

  it('shows the invoke grants of a replaced function as moving to its new ARN', () => {
    const access = reviewOfPlanWithSynthesis('sensitive-and-unknown').findings.find(
      (f) => f.message === 'gains 2 and loses 2 grants',
    );
    expect(access?.details).toEqual([
      '+ lambda:InvokeFunction on ${aws_lambda_function.accept_payment.arn}',
      '+ lambda:InvokeFunction on ${aws_lambda_function.accept_payment.arn}:*',
      '- lambda:InvokeFunction on arn:aws:lambda:us-east-1:123456789012:function:mock-accept-payment',
      '- lambda:InvokeFunction on arn:aws:lambda:us-east-1:123456789012:function:mock-accept-payment:*',
    ]);
  });

  it('finds the same risks in a first deployment as the synthesis does: none', () => {
    expect(riskLines(reviewOfPlanWithSynthesis('everything-new'))).toEqual([]);
  });
});
