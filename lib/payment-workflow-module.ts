import { Construct } from 'constructs';
import {
  Aspects,
  conditional,
  Fn,
  Op,
  TerraformLocal,
  TerraformStack,
  TerraformVariable,
  type TerraformVariableConfig,
  type TerraformVariableValidationConfig,
  Token,
} from 'cdktf';
import { ArchiveProvider } from '@cdktf/provider-archive/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { StateMachineLogLevel, WorkflowType } from './config';
import {
  CROSS_RULES,
  moduleSettings,
  type PlainSettingKey,
  type Rule,
  type Setting,
  SETTINGS,
  TERRAFORM_TYPES,
} from './settings';
import { PaymentWorkflow, type PaymentWorkflowProps } from './payment-workflow';
import { STATE_MACHINE_NAME } from '../workflow/steps';
import { addMonitoringOutputs, addWorkflowOutputs } from './payment-workflow-stack';
import { MODULE_TAGS, NoBackend, RequiredProvider, TagResources } from './terraform-module';
import { WorkflowMonitoring, type WorkflowMonitoringProps } from './workflow-monitoring';

/** Name of the module stack: its folder under cdktf.out/stacks. */
export const MODULE_STACK_NAME = 'mock-payment-workflow-module';

/**
 * The Terraform versions the module works with. 1.9 is the first to let a variable's validation read
 * another variable (the table name's length check reads the prefix).
 */
export const MODULE_TERRAFORM_VERSION = '>= 1.9.0';

/**
 * The providers the module needs, as ranges: a module pins no exact version, so that it can share a
 * root with other modules. The lower bounds are the versions the npm bindings were generated for
 * (`@cdktf/provider-aws` 21.22.1 is hashicorp/aws 6.25.0); a major release may break the schema.
 */
export const MODULE_PROVIDERS = {
  aws: { source: 'hashicorp/aws', version: '>= 6.25.0, < 7.0.0' },
  archive: { source: 'hashicorp/archive', version: '>= 2.7.1, < 3.0.0' },
} as const;

export { MODULE_TAGS };

/**
 * Where the module writes the functions' zips at plan time, below the calling root: Terraform advises
 * never to write into `path.module`, which may be a shared or read-only copy of the module, and which
 * every instance of a module from a local path shares. One folder per state machine name, so two
 * instances in one root (different name prefixes) never write the same file.
 *
 * @see https://developer.hashicorp.com/terraform/language/expressions/references#filesystem-and-workspace-info
 */
export const MODULE_ARCHIVE_ROOT = '${path.root}/.terraform/archives';

/** The module's input variables, by setting: those of the registry (`lib/settings.ts`) that have a module variable. */
export type PaymentWorkflowModuleVariables = { readonly [K in ModuleSettingKey]: TerraformVariable };

/** The settings that are module variables. */
type ModuleSettingKey = Exclude<
  PlainSettingKey,
  { [K in PlainSettingKey]: (typeof SETTINGS)[K]['module'] extends undefined ? K : never }[PlainSettingKey]
>;

/** Every property of `T`, each to be stated, though an optional one may be stated as `undefined`. */
type EveryProperty<T> = { [K in keyof Required<T>]: T[K] };

/**
 * The workflow as a reusable Terraform module: the same {@link PaymentWorkflow} construct and outputs as
 * the deployable stack, its settings taken from input variables, no provider configuration and no
 * backend. `npm run module` (scripts/build-module.ts) turns its folder into a publishable module.
 *
 * Paths in it are relative: the bundles are read from `${path.module}/assets/...` and the zips are
 * written below the calling root ({@link MODULE_ARCHIVE_ROOT}), so the folder works wherever it is copied.
 */
export class PaymentWorkflowModuleStack extends TerraformStack {
  /** The workflow's resources. */
  public readonly workflow: PaymentWorkflow;
  /** The alarms, their topic and the dashboard, each created `alarms_enabled ? 1 : 0` times. */
  public readonly monitoring: WorkflowMonitoring;
  /** The input variables. */
  public readonly variables: PaymentWorkflowModuleVariables;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new RequiredProvider(this, 'aws', { name: AwsProvider.tfResourceType, ...MODULE_PROVIDERS.aws });
    new RequiredProvider(this, 'archive', { name: ArchiveProvider.tfResourceType, ...MODULE_PROVIDERS.archive });
    new NoBackend(this);
    this.addOverride('terraform.required_version', MODULE_TERRAFORM_VERSION);

    this.variables = defineVariables(this);
    const vars = this.variables;
    const isExpress = Op.eq(vars.workflowType.stringValue, 'EXPRESS');
    // Null picks the default of the workflow type, as the configuration does.
    const functionTimeoutSeconds = Token.asNumber(
      orTypeDefault(vars.lambdaTimeoutSeconds.numberValue, SETTINGS.lambdaTimeoutSeconds, isExpress),
    );
    // EveryProperty: a property added to the construct fails the type check here until the module decides on it.
    const props: EveryProperty<PaymentWorkflowProps> = {
      namePrefix: vars.namePrefix.stringValue,
      tableName: vars.tableName.stringValue,
      logRetentionDays: vars.logRetentionDays.numberValue,
      lambdaMemoryMb: vars.lambdaMemoryMb.numberValue,
      lambdaTimeoutSeconds: functionTimeoutSeconds,
      lambdaReservedConcurrency: vars.lambdaReservedConcurrency.numberValue,
      deletionProtection: booleanOf(vars.deletionProtection),
      stateMachineLogLevel: orTypeDefault(
        vars.stateMachineLogLevel.stringValue,
        SETTINGS.stateMachineLogLevel,
        isExpress,
      ) as StateMachineLogLevel,
      workflowType: vars.workflowType.stringValue as WorkflowType,
      stateMachineLogExecutionData: booleanOf(vars.stateMachineLogExecutionData),
      kmsKeyArn: vars.kmsKeyArn.stringValue,
      // The input may be null: the construct decides with conditional expressions, not at synth.
      kmsKeyMayBeNull: true,
      archiveDir: `${MODULE_ARCHIVE_ROOT}/${vars.namePrefix.stringValue}${STATE_MACHINE_NAME}`,
    };
    this.workflow = new PaymentWorkflow(this, 'payment-workflow', props);
    const resourceTags = new TerraformLocal(this, 'resource_tags', Fn.merge([MODULE_TAGS, vars.tags.value]));
    Aspects.of(this).add(new TagResources(resourceTags.asStringMap));
    addWorkflowOutputs(this, this.workflow, vars.workflowType.stringValue as WorkflowType);
    const enabled = vars.alarms.booleanValue;
    const monitoringProps: EveryProperty<WorkflowMonitoringProps> = {
      workflow: this.workflow,
      namePrefix: vars.namePrefix.stringValue,
      alarmTopicArn: vars.alarmTopicArn.stringValue,
      alarmTopicArnMayBeNull: true,
      alarmEmail: vars.alarmEmail.stringValue,
      alarmEmailMayBeNull: true,
      alarmPeriodSeconds: vars.alarmPeriodSeconds.numberValue,
      lambdaDurationAlarmPercent: vars.lambdaDurationAlarmPercent.numberValue,
      lambdaTimeoutSeconds: functionTimeoutSeconds,
      kmsKeyArn: vars.kmsKeyArn.stringValue,
      workflowType: vars.workflowType.stringValue as WorkflowType,
      enabled: enabled as unknown as boolean,
    };
    this.monitoring = new WorkflowMonitoring(this, 'monitoring', monitoringProps);
    addMonitoringOutputs(
      this,
      this.workflow,
      this.monitoring.topicArn,
      this.monitoring.dashboardName,
      enabled as unknown as boolean,
    );
  }
}

/**
 * The input variables, written from the registry: each setting's module variable with its type,
 * description and default (null, and nullable, where the setting has none or one per workflow type),
 * and its rules' Terraform conditions, then those of the rules between settings that it carries.
 */
function defineVariables(stack: TerraformStack): PaymentWorkflowModuleVariables {
  // In a scope of their own: an output may have a variable's name (table_name), a construct id may not.
  const scope = new Construct(stack, 'variables');
  const refs = Object.fromEntries(moduleSettings().map(({ name, module }) => [name, `var.${module.name}`])) as Record<
    PlainSettingKey,
    string
  >;
  const entries = moduleSettings().map(({ name, setting, module }) => {
    const nullable = setting.default === undefined || setting.default.kind !== 'fixed';
    const ref = refs[name];
    const validation: TerraformVariableValidationConfig[] = [
      ...(setting.rules ?? []).map((rule) => ({
        condition: `\${${nullable ? `${ref} == null ? true : ${parenthesized(conditionOf(setting, rule)(ref))}` : conditionOf(setting, rule)(ref)}}`,
        errorMessage:
          typeof rule.errorMessage === 'function'
            ? rule.errorMessage({ name: module.name, nullable })
            : (rule.errorMessage as string),
      })),
      ...CROSS_RULES.flatMap((rule) =>
        rule.module?.variable === name
          ? [{ condition: `\${${rule.module.condition(refs)}}`, errorMessage: rule.module.errorMessage }]
          : [],
      ),
    ];
    const config: TerraformVariableConfig = {
      type: TERRAFORM_TYPES[setting.type],
      ...(nullable ? {} : { default: setting.default?.kind === 'fixed' ? setting.default.value : undefined }),
      nullable,
      description: module.description,
      ...(validation.length === 0 ? {} : { validation }),
    };
    const created = new TerraformVariable(scope, module.name, config);
    // cdktf cannot render a null default (it snake-cases the keys of every object, null included).
    if (nullable) created.addOverride('default', null);
    created.overrideLogicalId(module.name);
    return [name, created] as const;
  });
  return Object.fromEntries(entries) as PaymentWorkflowModuleVariables;
}

/** A rule's Terraform condition; a rule of a module setting without one is a mistake in the registry. */
function conditionOf(setting: Setting<unknown>, rule: Rule<unknown>): (v: string) => string {
  if (rule.condition === undefined || rule.errorMessage === undefined) {
    throw new Error(`a rule of ${setting.key} has no Terraform condition or message: give it both in lib/settings.ts`);
  }
  return rule.condition;
}

/**
 * A condition in parentheses unless it is one function call, to follow `cond ? true : ` (the null test
 * is a conditional, not `||`: Terraform's logical operators evaluate both sides, and `null >= 1` is an error).
 */
function parenthesized(condition: string): string {
  const call = /^[a-z]+\(/.exec(condition);
  if (call !== null) {
    let depth = 0;
    for (let i = call[0].length - 1; i < condition.length; i += 1) {
      if (condition[i] === '(') depth += 1;
      if (condition[i] === ')') depth -= 1;
      if (depth === 0) return i === condition.length - 1 ? condition : `(${condition})`;
    }
  }
  return `(${condition})`;
}

/** A module variable that may be null for the default of its workflow type: `coalesce(var, type == EXPRESS ? a : b)`. */
function orTypeDefault<T>(value: T, setting: Setting<T>, isExpress: unknown): T {
  if (setting.default?.kind !== 'perWorkflowType') throw new Error(`${setting.key} has no default per workflow type`);
  return Fn.coalesce([
    value,
    conditional(isExpress, setting.default.values.EXPRESS, setting.default.values.STANDARD),
  ]) as T;
}

/**
 * A boolean variable for a construct's boolean property. cdktf has no boolean token, so this is the
 * variable's reference object; the construct passes it through into the resource untouched.
 */
function booleanOf(variable: TerraformVariable): boolean {
  return variable.booleanValue as unknown as boolean;
}
