/**
 * Exposure to the internet: who outside this account can now call what. A Lambda function URL
 * without authentication, a Lambda permission open to anyone or to a service in any account, and a
 * resource policy statement that allows `*`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
import { CONFUSED_DEPUTY_KEYS, list, statementsOf } from './iam';
import type { Finding, ResourceChange } from './model';
import { parseJsonString } from './values';

/** Resource types that hold a resource policy, and the attribute that holds its document. */
export const RESOURCE_POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_sns_topic_policy: 'policy',
  aws_sns_topic: 'policy',
  aws_sqs_queue_policy: 'policy',
  aws_sqs_queue: 'policy',
  aws_s3_bucket_policy: 'policy',
  aws_dynamodb_resource_policy: 'policy',
  aws_cloudwatch_log_resource_policy: 'policy_document',
  aws_kms_key: 'policy',
  aws_secretsmanager_secret_policy: 'policy',
  aws_lambda_layer_version_permission: 'policy',
};

/**
 * Condition keys that tie a service principal to one account or resource: SNS also knows
 * `aws:SourceOwner`, and a key policy for CloudWatch Logs names the log group in its encryption context.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
const SOURCE_KEYS = new Set(
  [...CONFUSED_DEPUTY_KEYS, 'aws:SourceOwner', 'kms:EncryptionContext:aws:logs:arn'].map((key) => key.toLowerCase()),
);

/** The exposure findings of every change. */
export function internetExposureFindings(changes: readonly ResourceChange[]): Finding[] {
  const nameOf = functionNames(changes);
  return changes.flatMap((change) => {
    if (change.after === null || change.action === 'no-op' || change.action === 'read' || change.action === 'delete')
      return [];
    const after = change.after as Record<string, unknown>;
    const before = (change.before ?? {}) as Record<string, unknown>;
    const risk = (message: string): Finding => ({
      kind: 'exposure',
      severity: 'risk',
      address: change.address,
      message,
    });
    if (change.type === 'aws_lambda_function_url') {
      if (after.authorization_type !== 'NONE' || before.authorization_type === 'NONE') return [];
      return [
        risk(
          `anyone on the internet can invoke ${nameOf(change, 'function_name')} through its function URL without signing (authorization_type NONE)`,
        ),
      ];
    }
    if (change.type === 'aws_lambda_permission') {
      const reason = permissionOpenTo(after);
      if (reason === undefined || permissionOpenTo(before) === reason) return [];
      return [
        risk(
          `${reason} can call ${String(after.action ?? 'lambda:InvokeFunction')} on ${nameOf(change, 'function_name')}`,
        ),
      ];
    }
    const attribute = RESOURCE_POLICY_ATTRIBUTES[change.type];
    if (attribute === undefined) return [];
    const old = new Set(openStatements(parseJsonString(before[attribute])).map((s) => s.key));
    return openStatements(parseJsonString(after[attribute]))
      .filter((statement) => !old.has(statement.key))
      .map((statement) => risk(`its resource policy lets ${statement.who} ${statement.actions.join(', ')}`));
  });
}

/** Who a Lambda permission opens the function to, or undefined when it names one account or a source. */
function permissionOpenTo(permission: Record<string, unknown>): string | undefined {
  const principal = String(permission.principal ?? '');
  const sourced = isSet(permission.source_arn) || isSet(permission.source_account);
  if (principal === '*' && !sourced && !isSet(permission.principal_org_id)) {
    return permission.function_url_auth_type === 'NONE'
      ? 'anyone on the internet, without signing,'
      : 'anyone (principal *)';
  }
  if (principal.endsWith('.amazonaws.com') && !sourced) {
    return `${principal} acting for any account or resource (no source_arn or source_account: a confused deputy)`;
  }
  return undefined;
}

const isSet = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** Allow statements of a resource policy open to everyone, or to a service without a source condition. */
function openStatements(document: unknown): { key: string; who: string; actions: string[] }[] {
  const out: { key: string; who: string; actions: string[] }[] = [];
  for (const statement of statementsOf(document)) {
    if (statement.Effect !== 'Allow' || statement.Principal === undefined) continue;
    const principal = statement.Principal;
    const everyone = principal === '*' || list((principal as Record<string, unknown>).AWS).includes('*');
    const services = principal === '*' ? [] : list((principal as Record<string, unknown>).Service ?? []);
    const keys = Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(
      (byKey) => Object.keys(byKey).map((k) => k.toLowerCase()),
    );
    const sourced = keys.some((key) => SOURCE_KEYS.has(key));
    const actions =
      statement.NotAction === undefined
        ? list(statement.Action)
        : [`every action but ${list(statement.NotAction).join(', ')}`];
    let who: string | undefined;
    if (everyone && keys.length === 0) who = 'anyone, in any AWS account or none,';
    else if (services.length > 0 && !sourced)
      who = `${services.join(', ')} acting for any account or resource (no aws:SourceAccount or aws:SourceArn condition: a confused deputy)`;
    if (who !== undefined)
      out.push({
        key: JSON.stringify([principal, actions, statement.Resource ?? null, statement.Condition ?? null]),
        who,
        actions,
      });
  }
  return out;
}

/** The function a URL or a permission names, by its name: resolved from the function's own change where it is a reference. */
function functionNames(changes: readonly ResourceChange[]): (change: ResourceChange, attribute: string) => string {
  const names = new Map<string, string>();
  for (const change of changes.filter((c) => c.type === 'aws_lambda_function')) {
    const value = (change.after ?? change.before) as Record<string, unknown> | null;
    if (typeof value?.function_name === 'string') names.set(change.address, value.function_name);
  }
  return (change, attribute) => {
    const value = String((change.after as Record<string, unknown>)[attribute] ?? '');
    const reference =
      /^\$\{(aws_lambda_function\.[\w-]+)\.\w+\}$/.exec(value)?.[1] ??
      (change.references[attribute] ?? []).find((r) => names.has(r));
    if (reference !== undefined && names.has(reference)) return names.get(reference) as string;
    return /:function:([^:]+)/.exec(value)?.[1] ?? (value === '' ? 'the function' : value);
  };
}
