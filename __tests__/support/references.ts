/** Fake account and region the tests resolve Terraform references to. */
export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'us-east-1';

/**
 * Replaces the Terraform references of a synthesized string with the values AWS would give them,
 * so a policy or a definition can be parsed and evaluated. Unknown references fail the test.
 */
export function resolveReferences(text: string, stack: { resource: Record<string, Record<string, any>> }): string {
  return text.replace(/\$\{([a-z0-9_.-]+)\}/g, (whole, ref: string) => {
    const parts = ref.split('.');
    if (parts[0] === 'data') {
      if (ref === 'data.aws_partition.current.partition') return 'aws';
      if (ref === 'data.aws_caller_identity.current.account_id') return TEST_ACCOUNT;
      if (ref === 'data.aws_region.current.region') return TEST_REGION;
      throw new Error(`unknown reference ${whole}`);
    }
    const [type, id, attribute] = parts;
    const resource = stack.resource[type]?.[id];
    if (resource === undefined) throw new Error(`reference to a missing resource ${whole}`);
    const name = resource.function_name ?? resource.name;
    const arns: Record<string, string> = {
      aws_dynamodb_table: `arn:aws:dynamodb:${TEST_REGION}:${TEST_ACCOUNT}:table/${name}`,
      aws_lambda_function: `arn:aws:lambda:${TEST_REGION}:${TEST_ACCOUNT}:function:${name}`,
      aws_cloudwatch_log_group: `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:${name}`,
      aws_sfn_state_machine: `arn:aws:states:${TEST_REGION}:${TEST_ACCOUNT}:stateMachine:${name}`,
      aws_iam_role: `arn:aws:iam::${TEST_ACCOUNT}:role/${name}`,
    };
    if (attribute === 'arn' && arns[type] !== undefined) return arns[type];
    if (attribute === 'name' || attribute === 'id') return name;
    throw new Error(`unsupported reference ${whole}`);
  });
}
