import { Construct } from 'constructs';
import { AssetType, dependable, Lazy, TerraformAsset, Token } from 'cdktf';
import { DataArchiveFile } from '@cdktf/provider-archive/lib/data-archive-file';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { bundleHandler } from './bundle';
import { assumeRolePolicy, LogsActions, policyJson, type PolicyStatement, XRAY_WRITE_ACTIONS } from './policies';
import { functionLogGroupNameOf, roleNameOf } from './resource-names';

/**
 * The one Lambda runtime of this project; the bundles target the same Node.js version. Supported until
 * 30 April 2028; `nodejs22.x` is deprecated on 30 April 2027.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */
export const LAMBDA_RUNTIME = 'nodejs24.x';

/** Graviton: cheaper per GB-second than x86_64, and the handlers are architecture-independent JS. */
export const LAMBDA_ARCHITECTURE = 'arm64';

/**
 * How the functions log: Lambda's JSON log format, so each line is a JSON document that CloudWatch Logs
 * filter patterns (`{ $.level = "ERROR" }`) and Logs Insights read by field, and the objects the handlers
 * log are the line's `message` (handlers/log.ts). Application level INFO, AWS's default: every handler
 * logs its one line at INFO (success) or ERROR (failure), and the runbook searches both; WARN or above
 * would drop the success lines. System level INFO, AWS's default too.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 */
export const LAMBDA_LOGGING = { logFormat: 'JSON', applicationLogLevel: 'INFO', systemLogLevel: 'INFO' } as const;

/** Properties of an {@link OrderFunction}. */
export interface OrderFunctionProps {
  /** Name of the Lambda function, prefix included. */
  readonly functionName: string;
  /** Absolute path of the handler's TypeScript entry file (exports `handler`). */
  readonly entry: string;
  /** Environment variables of the function. Never put secrets here. */
  readonly environment: Readonly<Record<string, string>>;
  /** Retention of the function's log group, in days. */
  readonly logRetentionDays: number;
  /**
   * Memory of the function, in MB.
   * @default 128
   */
  readonly memoryMb?: number;
  /**
   * Timeout of the function, in seconds.
   * @default 10
   */
  readonly timeoutSeconds?: number;
  /**
   * Folder `archive_file` writes the function's zip to at plan time, as a Terraform path expression.
   * @default '${path.module}/dist' (the stack's folder: a root module, so path.module is path.root)
   */
  readonly archiveDir?: string;
  /**
   * ARN of a customer managed KMS key that encrypts the environment variables and the log group.
   * Its key policy must let CloudWatch Logs use it (see docs/security.md).
   * @default undefined: Lambda's AWS managed key and CloudWatch Logs' own encryption
   */
  readonly kmsKeyArn?: string;
  /**
   * Concurrent executions reserved for the function, which are also the most it runs at once.
   * @default undefined: no reservation, the function draws on the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;
}

/**
 * One workflow step as a Lambda function: its handler bundled by esbuild at synth, zipped by
 * `archive_file`, its own role (nothing but what {@link addToRolePolicy} adds, its own log streams
 * and X-Ray), and its own log group with a retention.
 *
 * Terraform addresses are readable and stable (`aws_lambda_function.create_order` for id
 * `create-order`), so plans read well in review; ids must therefore be unique within a stack.
 */
export class OrderFunction extends Construct {
  /** The Lambda function. */
  public readonly function: LambdaFunction;
  /** The function's execution role, used by this function only. */
  public readonly role: IamRole;
  /** The function's log group, `/aws/lambda/<function name>`. */
  public readonly logGroup: CloudwatchLogGroup;
  /** Name of the function. */
  public readonly functionName: string;
  /** ARN of the function. */
  public readonly functionArn: string;

  private readonly statements: PolicyStatement[] = [];
  private readonly logicalId: string;

  constructor(scope: Construct, id: string, props: OrderFunctionProps) {
    super(scope, id);
    const reserved = props.reservedConcurrency;
    if (reserved !== undefined && !Token.isUnresolved(reserved) && !(Number.isInteger(reserved) && reserved >= 1)) {
      // 0 would throttle every invocation: a stopped function, not a limit.
      throw new RangeError(`reservedConcurrency must be a whole number of at least 1, received ${reserved}`);
    }
    this.functionName = props.functionName;
    const logicalId = id.replace(/-/g, '_');
    this.logicalId = logicalId;

    const bundle = bundleHandler({ entry: props.entry });
    // The asset copies the bundle into the stack's output folder, so the synthesized JSON refers to it
    // by a relative path and cdktf.out can be planned on another machine.
    const asset = new TerraformAsset(this, 'bundle', { path: bundle.dir, type: AssetType.DIRECTORY });
    const archive = new DataArchiveFile(this, 'archive', {
      type: 'zip',
      sourceDir: `\${path.module}/${asset.path}`,
      outputPath: `${props.archiveDir ?? '${path.module}/dist'}/${id}.zip`,
      // Fixed file mode: the zip (and so source_code_hash) must not depend on the synthesizing machine's umask.
      outputFileMode: '0644',
    });
    archive.overrideLogicalId(logicalId);

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: functionLogGroupNameOf(props.functionName),
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.logGroup.overrideLogicalId(logicalId);

    this.role = new IamRole(this, 'role', {
      name: roleNameOf(props.functionName),
      description: `Execution role of ${props.functionName}, used by that function only`,
      assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com'),
    });
    this.role.overrideLogicalId(logicalId);
    this.addToRolePolicy({
      Sid: 'WriteOwnLogStreams',
      Effect: 'Allow',
      Action: [LogsActions.CREATE_LOG_STREAM, LogsActions.PUT_LOG_EVENTS],
      Resource: [`${this.logGroup.arn}:*`],
    });
    this.addToRolePolicy({
      // X-Ray has no resource-level permissions: "*" is the only resource it accepts.
      Sid: 'WriteTraces',
      Effect: 'Allow',
      Action: [...XRAY_WRITE_ACTIONS],
      Resource: ['*'],
    });
    const policy = new IamRolePolicy(this, 'policy', {
      name: `${props.functionName}-policy`,
      role: this.role.id,
      policy: Lazy.stringValue({ produce: () => policyJson(this.statements) }),
    });
    policy.overrideLogicalId(logicalId);

    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: `Mock payment workflow step ${id}`,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      handler: 'index.handler',
      filename: archive.outputPath,
      sourceCodeHash: archive.outputBase64Sha256,
      memorySize: props.memoryMb ?? 128,
      timeout: props.timeoutSeconds ?? 10,
      environment: { variables: { ...props.environment } },
      kmsKeyArn: props.kmsKeyArn,
      reservedConcurrentExecutions: reserved,
      tracingConfig: { mode: 'Active' },
      loggingConfig: { ...LAMBDA_LOGGING, logGroup: this.logGroup.name },
      // The log group and the role's permissions exist before the first invocation can need them.
      dependsOn: [this.logGroup, policy],
    });
    this.function.overrideLogicalId(logicalId);
    this.functionArn = this.function.arn;
  }

  /** Adds a statement to the function role's one inline policy. */
  public addToRolePolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }

  /**
   * Adds statements in an inline policy of their own, `aws_iam_role_policy.<function>_<name>`, created
   * `count` times (0 or 1, decided at plan): for statements that exist only when a module input is set.
   * The function is created after it, as after its main policy.
   */
  public addConditionalRolePolicy(name: string, statements: readonly PolicyStatement[], count: number): IamRolePolicy {
    const policy = new IamRolePolicy(this, `${name}-policy`, {
      name: `${this.functionName}-${name}-policy`,
      role: this.role.id,
      policy: policyJson(statements),
      count,
    });
    policy.overrideLogicalId(`${this.logicalId}_${name.replace(/-/g, '_')}`);
    this.function.dependsOn = [...(this.function.dependsOn ?? []), dependable(policy)];
    return policy;
  }
}
