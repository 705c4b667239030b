/**
 * IAM actions as named constants and the policy document types built from them.
 * Every grant in this project is one of these actions on one resource: no wildcard actions.
 */

/** Writing a function's own log streams; creating the group is Terraform's job, not the function's. */
export const LogsActions = {
  CREATE_LOG_STREAM: 'logs:CreateLogStream',
  PUT_LOG_EVENTS: 'logs:PutLogEvents',
} as const;

/**
 * What Step Functions needs to deliver logs to CloudWatch Logs. These are account-level calls
 * on the log delivery service, which support only `Resource: "*"`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
 */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
] as const;

/**
 * Sending traces to X-Ray. X-Ray has no resource-level permissions, so these take `Resource: "*"`.
 * @see https://docs.aws.amazon.com/xray/latest/devguide/security_iam_service-with-iam.html
 */
export const XRAY_WRITE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;

/** Reading X-Ray sampling rules, which Step Functions does when tracing is on; also `Resource: "*"` only. */
export const XRAY_SAMPLING_ACTIONS = ['xray:GetSamplingRules', 'xray:GetSamplingTargets'] as const;

/**
 * What a state machine encrypted with a customer managed key needs of that key: data keys for its
 * execution history, and reading them back.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html
 */
export const KmsActions = {
  DECRYPT: 'kms:Decrypt',
  GENERATE_DATA_KEY: 'kms:GenerateDataKey',
} as const;

/** Invoking a Lambda function, the only thing the state machine does. */
export const LAMBDA_INVOKE_FUNCTION = 'lambda:InvokeFunction';

/** One IAM policy statement. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Readonly<Record<string, string>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** Renders a policy document; token strings (ARNs of other resources) become Terraform references. */
export function policyJson(statements: readonly PolicyStatement[]): string {
  const document: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  return JSON.stringify(document);
}

/** A trust policy letting one AWS service assume a role, optionally only on behalf of one account/resource. */
export function assumeRolePolicy(service: string, condition?: PolicyStatement['Condition']): string {
  return policyJson([
    {
      Sid: 'TrustService',
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      // JSON.stringify leaves an undefined Condition out.
      Condition: condition,
    },
  ]);
}
