import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSynthesizedAlarms, type SynthesizedAlarm } from './alarms';
import { SynthesizedStackError, UnsupportedAslError } from './errors';

/** The account id local ARNs use; no real account is involved. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** A Lambda function as synthesized: what the local host needs to run its bundle. */
export interface SynthesizedFunction {
  readonly functionName: string;
  /** The ARN the definition refers to the function by. */
  readonly functionArn: string;
  /** Absolute path of the folder `archive_file` zips: the bundled handler. */
  readonly bundleDir: string;
  /** File of the handler module inside the bundle, e.g. `index.js`. */
  readonly handlerFile: string;
  /** Exported function name, e.g. `handler`. */
  readonly handlerExport: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
}

/** The orders table as synthesized. */
export interface SynthesizedTable {
  readonly tableName: string;
  readonly hashKey: string;
  readonly attributes: readonly { readonly name: string; readonly type: string }[];
}

/** Everything the local runtime runs, read from one synthesized stack. */
export interface SynthesizedWorkflow {
  readonly stackDir: string;
  readonly region: string;
  readonly stateMachineName: string;
  /** The state machine's ARN, as the local account would have it (the alarms' dimension). */
  readonly stateMachineArn: string;
  /** The CloudWatch alarms of the stack (none when it was synthesized with alarms off). */
  readonly alarms: readonly SynthesizedAlarm[];
  /** The state machine's definition with every Terraform reference resolved to a local value. */
  readonly definition: Record<string, any>;
  readonly table: SynthesizedTable;
  readonly functions: readonly SynthesizedFunction[];
}

type Resources = Record<string, Record<string, Record<string, any>>>;

/**
 * Reads the stack that `cdktf synth` wrote to `<outdir>/stacks/<stackName>/cdk.tf.json` and resolves
 * the Terraform references in it to the local values Terraform would compute (names, ARNs).
 */
export function readSynthesizedWorkflow(outdir: string, stackName: string): SynthesizedWorkflow {
  const stackDir = path.resolve(outdir, 'stacks', stackName);
  const file = path.join(stackDir, 'cdk.tf.json');
  if (!fs.existsSync(file)) {
    throw new SynthesizedStackError(`No synthesized stack at ${file}. Run \`npx cdktf synth\` first.`);
  }
  const stack = JSON.parse(fs.readFileSync(file, 'utf8'));
  const resources: Resources = stack.resource ?? {};
  const data: Resources = stack.data ?? {};
  const region = (stack.provider?.aws?.[0]?.region as string | undefined) ?? 'us-east-1';
  const resolve = (value: string): string => resolveReferences(value, { resources, data, region, stackDir });

  const machine = only(resources, 'aws_sfn_state_machine', stackName);
  const table = only(resources, 'aws_dynamodb_table', stackName);
  if (
    table.global_secondary_index !== undefined ||
    table.local_secondary_index !== undefined ||
    table.range_key !== undefined
  ) {
    throw new UnsupportedAslError(
      'The local runtime creates tables with a hash key only; this table has more keys or indexes.',
    );
  }
  const functions = Object.values(resources.aws_lambda_function ?? {}).map((fn): SynthesizedFunction => {
    const handler = /^(.+)\.([A-Za-z_$][\w$]*)$/.exec(fn.handler);
    if (handler === null)
      throw new SynthesizedStackError(`Function ${fn.function_name} has an unreadable handler "${fn.handler}".`);
    const environment = Object.fromEntries(
      Object.entries((fn.environment?.variables ?? {}) as Record<string, string>).map(([name, value]) => [
        name,
        resolve(value),
      ]),
    );
    return {
      functionName: fn.function_name,
      functionArn: arnOf('aws_lambda_function', fn.function_name, region),
      bundleDir: resolve(fn.filename),
      handlerFile: `${handler[1]}.js`,
      handlerExport: handler[2],
      environment,
      timeoutSeconds: fn.timeout ?? 3,
    };
  });

  return {
    stackDir,
    region,
    stateMachineName: machine.name,
    stateMachineArn: arnOf('aws_sfn_state_machine', machine.name, region),
    alarms: readSynthesizedAlarms(resources, resolve),
    definition: JSON.parse(resolve(machine.definition)),
    table: { tableName: table.name, hashKey: table.hash_key, attributes: table.attribute ?? [] },
    functions,
  };
}

interface ResolveContext {
  readonly resources: Resources;
  readonly data: Resources;
  readonly region: string;
  readonly stackDir: string;
}

/** Resolves `${type.id.attribute}` references and `${path.module}` as Terraform would, for local use. */
function resolveReferences(text: string, context: ResolveContext): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, expression: string) => {
    if (expression === 'path.module') return context.stackDir;
    const [head, ...rest] = expression.split('.');
    if (head === 'data') {
      const [type, id, attribute] = rest;
      if (type === 'aws_partition' && attribute === 'partition') return 'aws';
      if (type === 'aws_region' && (attribute === 'region' || attribute === 'name')) return context.region;
      if (type === 'aws_caller_identity' && attribute === 'account_id') return LOCAL_ACCOUNT_ID;
      const archive = context.data[type]?.[id];
      // The local runtime runs the folder archive_file zips, unzipped: same bytes, no zip step.
      if (type === 'archive_file' && attribute === 'output_path' && archive !== undefined) {
        return resolveReferences(archive.source_dir, context);
      }
      throw new UnsupportedAslError(`The local runtime cannot resolve the reference ${whole}.`);
    }
    const [id, attribute] = rest;
    const resource = context.resources[head]?.[id];
    if (resource === undefined)
      throw new SynthesizedStackError(`The reference ${whole} names no resource of the stack.`);
    const name: string = resource.function_name ?? resource.name;
    if (attribute === 'name' || attribute === 'function_name' || attribute === 'id') return name;
    if (attribute === 'arn') return arnOf(head, name, context.region);
    throw new UnsupportedAslError(`The local runtime cannot resolve the attribute "${attribute}" of ${whole}.`);
  });
}

/** The ARN AWS gives a resource of this type and name in the local account. */
function arnOf(type: string, name: string, region: string): string {
  const arns: Record<string, string> = {
    aws_lambda_function: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${name}`,
    aws_dynamodb_table: `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT_ID}:table/${name}`,
    aws_sfn_state_machine: `arn:aws:states:${region}:${LOCAL_ACCOUNT_ID}:stateMachine:${name}`,
    aws_cloudwatch_log_group: `arn:aws:logs:${region}:${LOCAL_ACCOUNT_ID}:log-group:${name}`,
    aws_iam_role: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${name}`,
  };
  const arn = arns[type];
  if (arn === undefined)
    throw new UnsupportedAslError(`The local runtime cannot make an ARN for a resource of type ${type}.`);
  return arn;
}

function only(resources: Resources, type: string, stackName: string): Record<string, any> {
  const found = Object.values(resources[type] ?? {});
  if (found.length !== 1) {
    throw new SynthesizedStackError(
      `Stack ${stackName} has ${found.length} ${type} resources; the local runtime runs exactly one.`,
    );
  }
  return found[0];
}
