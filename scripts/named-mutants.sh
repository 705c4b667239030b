#!/bin/bash
# Mistakes of the kind people make (a rewritten condition, a changed quantifier, another number), which
# Stryker's operators do not make: issue 16's, then issue 22's, in each room. Each is applied to a clean
# checkout of HEAD (a temporary git worktree) and the suite that must catch it runs; every line should
# say "killed".
#   bash scripts/named-mutants.sh            every line
#   bash scripts/named-mutants.sh 'soak|synth'  only the lines whose name or suite matches the pattern (grep -E)
set -u
only="${1:-}"
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
  if [ -n "$only" ] && ! grep -qE "$only" <<<"$name $suite"; then return; fi
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
check "budget's execution timeout cut to 30 s (refusal message)" lib/timeout-budget.ts "  return secondsFor(timeoutBudget(WORKFLOW_STEP_COUNT, workflowType).executionTimeout, functionTimeoutSeconds);" "  return 30;" __tests__/pure/config.test.ts
check "handlers' orderId rule accepts . : and space" handlers/order-input.ts "/^[A-Za-z0-9_-]+\$/" "/^[A-Za-z0-9_.: -]+\$/" __tests__/pure/order-input.test.ts
check "console's orderId rule accepts . : and space" local/console/requests.ts "/^[A-Za-z0-9_-]+\$/" "/^[A-Za-z0-9_.: -]+\$/" __tests__/pure/console-server.test.ts
check "table construct's default deletion protection false" lib/orders-table.ts "props.deletionProtection ?? true" "props.deletionProtection ?? false" __tests__/synthesis/orders-table.test.ts
check "record-failure reports recorded: true when nothing was written" handlers/record-failure.ts "recorded: outcome === 'written'" "recorded: true" __tests__/dynalite/record-failure.test.ts
check "record-failure accepts any step name" handlers/record-failure.ts "if (!RECORDABLE_STEPS.includes(record.step as FailureRecord['step'])) {" "if (false) {" __tests__/dynalite/record-failure.test.ts
check "module's table_name validation widened (terraform evaluates it)" lib/settings.ts "rules: [pattern('^[A-Za-z0-9_.-]{3,255}\$'," "rules: [pattern('^[A-Za-z0-9_. -]{1,255}\$'," __tests__/terraform/module-validation.test.ts
# Handlers: the status moves, written or skipped.
check "a handler allows paid -> hold (its allowed-from gains paid)" handlers/orders-repo.ts "const from: readonly OrderStatus[] = ALLOWED_FROM[target];" "const from: readonly OrderStatus[] = [...ALLOWED_FROM[target], 'paid'];" __tests__/dynalite/transition-matrix.test.ts
check "hasReached uses > instead of >=" handlers/status.ts "STATUS_SEQUENCE.indexOf(current) >= STATUS_SEQUENCE.indexOf(target)" "STATUS_SEQUENCE.indexOf(current) > STATUS_SEQUENCE.indexOf(target)" __tests__/dynalite/transition-matrix.test.ts
check "the failure recorder writes over the final status" handlers/status.ts "[...STATUS_SEQUENCE.slice(0, -1), FAILED_STATUS]" "[...STATUS_SEQUENCE, FAILED_STATUS]" __tests__/dynalite/transition-matrix.test.ts
check "the failure recorder skips an order already failed" handlers/status.ts "[...STATUS_SEQUENCE.slice(0, -1), FAILED_STATUS]" "[...STATUS_SEQUENCE.slice(0, -1)]" __tests__/dynalite/transition-matrix.test.ts
check "a resumed order keeps the failure it recovered from" handlers/orders-repo.ts "'SET #status = :target, updatedAt = :now REMOVE failedStep, failedError'" "'SET #status = :target, updatedAt = :now'" __tests__/dynalite/transition-matrix.test.ts
check "CreateOrder overwrites an order that exists" handlers/orders-repo.ts "        ConditionExpression: 'attribute_not_exists(orderId)'," "" __tests__/dynalite/transition-matrix.test.ts
check "the failure recorder creates a missing order" handlers/orders-repo.ts "failedError = :error, updatedAt = :now',
        ConditionExpression: \`attribute_exists(orderId) AND " "failedError = :error, updatedAt = :now',
        ConditionExpression: \`attribute_not_exists(orderId) OR " __tests__/dynalite/transition-matrix.test.ts
# The workflow table: a row that moves from the wrong statuses, refuses with the wrong error, grants too little.
check "HoldPayment's row: movesFrom gains paid" workflow/steps.ts "movesFrom: ['created', 'failed']," "movesFrom: ['created', 'failed', 'paid']," __tests__/dynalite/transition-matrix.test.ts
check "HoldPayment's row: movesFrom loses failed (no resume)" workflow/steps.ts "movesFrom: ['created', 'failed']," "movesFrom: ['created']," __tests__/dynalite/transition-matrix.test.ts
check "AcceptPayment's row: movesFrom gains created (skips the hold)" workflow/steps.ts "movesFrom: ['hold']," "movesFrom: ['hold', 'created']," __tests__/dynalite/transition-matrix.test.ts
check "AcceptPayment's row: refusalError OrderNotHoldable" workflow/steps.ts "refusalError: 'PaymentNotHeld'," "refusalError: 'OrderNotHoldable'," __tests__/pure/step-table.test.ts
check "the steps' GetItem grant dropped" workflow/steps.ts "tableActions: ['dynamodb:UpdateItem', 'dynamodb:GetItem']," "tableActions: ['dynamodb:UpdateItem']," __tests__/synthesis/payment-workflow-stack.test.ts
# lib: the alarms and the module's alarm expressions.
check "executions-failed alarm threshold off by one (2)" lib/workflow-monitoring.ts "what: 'Executions failed: orders were rejected or marked failed',
        threshold: 1," "what: 'Executions failed: orders were rejected or marked failed',
        threshold: 2," __tests__/terraform/workflow-monitoring.test.ts
check "alarms compare > instead of >=" lib/workflow-monitoring.ts "comparisonOperator: 'GreaterThanOrEqualToThreshold'," "comparisonOperator: 'GreaterThanThreshold'," __tests__/terraform/workflow-monitoring.test.ts
check "duration alarm at a tenth of its share (ms per s as 1)" lib/workflow-monitoring.ts "return timeoutSeconds * 10 * percent;" "return timeoutSeconds * percent;" __tests__/terraform/workflow-monitoring.test.ts
check "module's duration threshold expression x100 instead of x10" lib/workflow-monitoring.ts "Op.mul(Op.mul(timeoutSeconds, 10), percent)" "Op.mul(Op.mul(timeoutSeconds, 100), percent)" __tests__/terraform/workflow-monitoring.test.ts
# local: re-synthesis and Lambda's JSON log lines.
check "local/synth.ts ignores MPW_* variables" local/synth.ts "const overridden = options.settings !== undefined || Object.keys(process.env).some((name) => name.startsWith('MPW_'));" "const overridden = options.settings !== undefined;" __tests__/pure/local-synth.test.ts
check "local/synth.ts forgets workflow/ among its inputs" local/synth.ts "'handlers', 'workflow'];" "'handlers'];" __tests__/pure/local-synth.test.ts
check "JSON logs keep a line one level below the function's" local/function-logs.ts "LAMBDA_LOG_LEVELS.indexOf(level) < LAMBDA_LOG_LEVELS.indexOf(context.applicationLogLevel)" "LAMBDA_LOG_LEVELS.indexOf(level) + 1 < LAMBDA_LOG_LEVELS.indexOf(context.applicationLogLevel)" __tests__/dynalite/log-search.test.ts
check "console.log logs at DEBUG" local/function-logs.ts "log: 'INFO'," "log: 'DEBUG'," __tests__/dynalite/log-search.test.ts
# review: the rules and the options.
check "the IAM rule forgets NotAction" review/iam.ts ": list(statement.NotAction).map((a) => \`NotAction:\${a}\`);" ": list(statement.Action);" __tests__/pure/plan-review/rules-privilege.test.ts
check "the exposure rule forgets NotAction" review/exposure.ts ": [\`every action but \${list(statement.NotAction).join(', ')}\`];" ": list(statement.Action);" __tests__/synthesis/plan-review/exposure.test.ts
check "a Stripe key pattern stops at 31 characters" review/values.ts "/\\b[sr]k_(?:live|test)_[0-9A-Za-z]{10,}/g" "/\\b[sr]k_(?:live|test)_[0-9A-Za-z]{10,31}/g" __tests__/synthesis/plan-review/values.test.ts
check "random strings of 32 characters not taken for credentials" review/values.ts "min: 32, max: 128" "min: 33, max: 128" __tests__/synthesis/plan-review/values.test.ts
check "team rules match an address by prefix" review/team-rules.ts ".join('.*')}\$\`," ".join('.*')}\`," __tests__/synthesis/plan-review/team-rules.test.ts
check "team rules ignore their message filter" review/team-rules.ts "(r.message === undefined || finding.message.includes(r.message))" "true" __tests__/synthesis/plan-review/team-rules.test.ts
check "an alarm whose actions_enabled was absent turned off unnoticed" review/monitoring.ts "before.actions_enabled !== false && after.actions_enabled === false" "before.actions_enabled === true && after.actions_enabled === false" __tests__/synthesis/plan-review/monitoring.test.ts
check "--fail-on-risk ignored" review/cli.ts "failOnRisk: values['fail-on-risk'] === true," "failOnRisk: false," __tests__/synthesis/plan-review/review-options.test.ts
check "cost counts two transitions per state" pricing/cost-model.ts "return statesOnPath(definition, path).length;" "return statesOnPath(definition, path).length * 2;" __tests__/synthesis/cost.test.ts
# scripts: the soak's accounting.
check "the soak counts doubled by >= 1" scripts/soak-accounting.ts "writesOf(FIRST.stateName) > 1 || writesOf(LAST.stateName) > 1" "writesOf(FIRST.stateName) >= 1 || writesOf(LAST.stateName) >= 1" __tests__/pure/soak-accounting.test.ts
check "the soak calls a paid order regressed for a late log line" scripts/soak-accounting.ts "finishedAt < order.writes.length - 1 && !finishedBefore;" "finishedAt < order.writes.length - 1;" __tests__/pure/soak-accounting.test.ts
check "the EXPRESS soak recovers only marked orders" scripts/soak-accounting.ts "(recovery === 'failed-executions' || markedFailed(order))" "markedFailed(order)" __tests__/pure/soak-accounting.test.ts
exit $status
