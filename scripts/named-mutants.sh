#!/bin/bash
# The mistakes issue 16 found the suite blind to, each applied to a clean checkout of HEAD (a temporary
# git worktree), with the suite that must now catch it; every line should say "killed".
#   bash scripts/named-mutants.sh
set -u
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
git -C "$root" worktree add -q --detach "$work/checkout" HEAD
ln -s "$root/node_modules" "$work/checkout/node_modules"
trap 'git -C "$root" worktree remove --force "$work/checkout"; rm -rf "$work"' EXIT
cd "$work/checkout"
source scripts/use-node-24.sh >/dev/null
status=0
check() {
  local name="$1" file="$2" from="$3" to="$4" suite="$5"
  python3 - "$file" "$from" "$to" <<'PY'
import sys
p, a, b = sys.argv[1:4]
s = open(p).read()
assert a in s, f"pattern not found in {p}: {a}"
open(p, 'w').write(s.replace(a, b))
PY
  if npx jest "$suite" >"$work/out.txt" 2>&1; then verdict="SURVIVED"; status=1; else verdict="killed"; fi
  local failed=$(grep -c "✕" "$work/out.txt")
  git checkout -q -- "$file"
  printf '%-9s %-62s %s (%s failing tests)\n' "$verdict" "$name" "$suite" "$failed"
}
check "TooManyRequestsException dropped from the Lambda retry list" lib/workflow-definition.ts "'Lambda.TooManyRequestsException'," "" __tests__/synthesis/workflow-definition.test.ts
check "ThrottlingException dropped from the DynamoDB retry list" lib/workflow-definition.ts "'ThrottlingException'," "" __tests__/synthesis/workflow-definition.test.ts
check "Retry: [] on every Record*Failure state" lib/workflow-definition.ts "      TimeoutSeconds: timeouts.taskTimeoutSeconds,
      Retry: retriers,
      Catch: [{ ErrorEquals: ['States.ALL'], Next: ORDER_FAILED_STATE }]," "      TimeoutSeconds: timeouts.taskTimeoutSeconds,
      Retry: [],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: ORDER_FAILED_STATE }]," __tests__/synthesis/workflow-definition.test.ts
check "execution timeout cut to 30 s" lib/workflow-definition.ts "    TimeoutSeconds: timeouts.executionTimeoutSeconds," "    TimeoutSeconds: 30," __tests__/synthesis/timeout-budget.test.ts
check "budget's execution timeout cut to 30 s (refusal message)" lib/timeout-budget.ts "  return secondsFor(timeoutBudget(WORKFLOW_STEP_COUNT, TASK_RETRIERS_BY_TYPE[workflowType]).executionTimeout, functionTimeoutSeconds);" "  return 30;" __tests__/pure/config.test.ts
check "handlers' orderId rule accepts . : and space" handlers/order-input.ts "/^[A-Za-z0-9_-]+\$/" "/^[A-Za-z0-9_.: -]+\$/" __tests__/pure/order-input.test.ts
check "console's orderId rule accepts . : and space" local/console/requests.ts "/^[A-Za-z0-9_-]+\$/" "/^[A-Za-z0-9_.: -]+\$/" __tests__/pure/console-server.test.ts
check "table construct's default deletion protection false" lib/orders-table.ts "props.deletionProtection ?? true" "props.deletionProtection ?? false" __tests__/synthesis/orders-table.test.ts
check "record-failure reports recorded: true when nothing was written" handlers/record-failure.ts "recorded: outcome === 'written'" "recorded: true" __tests__/dynalite/record-failure.test.ts
check "record-failure accepts any step name" handlers/record-failure.ts "if (!RECORDABLE_STEPS.includes(record.step as FailureRecord['step'])) {" "if (false) {" __tests__/dynalite/record-failure.test.ts
check "module's table_name validation widened (terraform evaluates it)" lib/payment-workflow-module.ts "tableNamePattern: '^[A-Za-z0-9_.-]{3,255}\$'," "tableNamePattern: '^[A-Za-z0-9_. -]{1,255}\$'," __tests__/terraform/module-validation.test.ts
exit $status
