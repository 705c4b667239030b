/**
 * How the stack names its resources from a function's or the state machine's (prefixed) name. The
 * constructs and the policies of `iam/` (lib/external-roles.ts) both build names here, so a policy
 * names what the stack creates.
 */

/** The execution role of a function, or the state machine's role: `<name>-role`. */
export function roleNameOf(name: string): string {
  return `${name}-role`;
}

/** A function's log group, where Lambda writes by default. */
export function functionLogGroupNameOf(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** The state machine's log group: Step Functions needs the vendedlogs prefix to attach its log delivery without a resource-policy size problem. */
export function stateMachineLogGroupNameOf(stateMachineName: string): string {
  return `/aws/vendedlogs/states/${stateMachineName}`;
}

/** The words every alarm's name starts with, which the alarm topic's policy and the policies of `iam/` match. */
export function alarmNamePrefixOf(stateMachineName: string): string {
  return `${stateMachineName}-`;
}

/** The alarm topic the stack creates when none is given. */
export function alarmTopicNameOf(stateMachineName: string): string {
  return `${alarmNamePrefixOf(stateMachineName)}alarms`;
}

/** The dashboard, named after the state machine it shows. */
export function dashboardNameOf(stateMachineName: string): string {
  return stateMachineName;
}
