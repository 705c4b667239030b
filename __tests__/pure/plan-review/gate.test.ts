import { gateFailure } from '../../../review/gate';
import type { Finding } from '../../../review/model';
import { reviewOfPlan } from '../../support/plan-review';

const WORKFLOW_RISK: Finding = {
  kind: 'workflow',
  severity: 'risk',
  address: 'aws_sfn_state_machine.payment_workflow',
  message: 'state HoldPayment loses its retry',
};
const PRIVILEGE_RISK: Finding = {
  kind: 'privilege',
  severity: 'risk',
  address: 'aws_iam_role.hold_payment',
  message: 'gains dynamodb:DeleteItem on *: a destructive action on every resource',
};

describe('Gate: the pull-request check on risks', () => {
  it('fails on a data-loss or privilege risk without the label, naming each risk and the label', () => {
    expect(gateFailure(reviewOfPlan('protection-off-and-delete-item').findings, false)).toBe(
      '2 data-loss or privilege risks not acknowledged (data-loss aws_dynamodb_table.orders: turns deletion protection off: a destroy or a replacement can now delete the table; privilege aws_iam_role.hold_payment: gains dynamodb:DeleteItem on *: a destructive action on every resource). Once a reviewer has accepted them, add the label risk-acknowledged to the pull request.',
    );
  });

  it('passes the same risks once the pull request carries the label', () => {
    expect(gateFailure(reviewOfPlan('protection-off-and-delete-item').findings, true)).toBeUndefined();
  });

  it('lets a workflow risk through: it is shown, not blocking', () => {
    expect(gateFailure([WORKFLOW_RISK], false)).toBeUndefined();
  });

  it('names a single risk in the singular, asking to accept it', () => {
    expect(gateFailure([PRIVILEGE_RISK], false)).toBe(
      '1 data-loss or privilege risk not acknowledged (privilege aws_iam_role.hold_payment: gains dynamodb:DeleteItem on *: a destructive action on every resource). Once a reviewer has accepted it, add the label risk-acknowledged to the pull request.',
    );
  });

  it('counts and names only the blocking risks when a workflow risk comes with them', () => {
    expect(gateFailure([WORKFLOW_RISK, PRIVILEGE_RISK], false)).toBe(
      '1 data-loss or privilege risk not acknowledged (privilege aws_iam_role.hold_payment: gains dynamodb:DeleteItem on *: a destructive action on every resource). Once a reviewer has accepted it, add the label risk-acknowledged to the pull request.',
    );
  });

  it('lets a privilege finding through when it is only information', () => {
    const info: Finding = {
      kind: 'privilege',
      severity: 'info',
      address: 'aws_iam_role.hold_payment',
      message: 'is new, with 3 grants',
    };
    expect(gateFailure([info], false)).toBeUndefined();
  });
});
