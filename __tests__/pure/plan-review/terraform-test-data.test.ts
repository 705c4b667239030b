import * as fs from 'node:fs';
import * as path from 'node:path';
import { NotAPlan, PlanErrored } from '../../../review/errors';
import { readPlan } from '../../../review/plan';
import { renderJson, renderMarkdown, renderText, verdict } from '../../../review/render';
import { buildReview } from '../../../review/review';
import { FIXTURES_DIR } from '../../support/plan-review';

/** One of Terraform's own `terraform show -json` outputs (v1.5.7, MPL-2.0: see the folder's NOTICE.md). */
function terraformOutput(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, 'terraform-show-json', name, 'output.json'), 'utf8'));
}

const reviewOf = (name: string) => buildReview(readPlan(terraformOutput(name)));

describe("Plan review: Terraform's own plan JSON test data", () => {
  it('refuses the JSON of a state, which has values but no plan, with NotAPlan', () => {
    // Prepare
    const state = terraformOutput('state-basic');
    // Act
    const act = (): unknown => readPlan(state);
    // Assess
    expect(act).toThrow(NotAPlan);
    expect(act).toThrow(
      'Expected a plan JSON with planned_values, resource_changes, output_changes; received none of them: it has "values", as the JSON of a state has. Fix: run terraform plan -out=tfplan, then terraform show -json tfplan (not terraform show -json alone, which shows the state).',
    );
  });

  it('refuses a plan Terraform marks errored, shaped as its show-json/plan-error output, with PlanErrored', () => {
    // Prepare: the keys of Terraform's plan-error test output (a failed plan lists no resource change).
    const errored = {
      format_version: '1.2',
      applyable: false,
      complete: false,
      planned_values: { root_module: {} },
      prior_state: {},
      errored: true,
    };
    // Act
    const act = (): unknown => readPlan(errored);
    // Assess
    expect(act).toThrow(PlanErrored);
    expect(act).toThrow(
      'Expected a complete plan; received one Terraform marks "errored": true: planning failed partway, so the plan lists only part of the changes. Fix: make terraform plan succeed, then review its plan.',
    );
  });

  it('prints "moved from" the previous address of a moved resource, counted as the update it is', () => {
    const review = reviewOf('moved');
    expect(verdict(review)).toBe('0 to add, 1 to change, 0 to destroy (1 moved): no risky change');
    expect(renderText(review)).toContain(
      '  test_instance.baz: update moved from test_instance.foo\n      ami: "foo" → "baz"\n',
    );
  });

  it('reads a moved resource whose drift Terraform records under its new address', () => {
    const review = reviewOf('moved-drift');
    expect(review.changeSet.changes.map((c) => [c.address, c.previousAddress ?? null, c.action])).toEqual([
      ['test_instance.no_refresh', null, 'update'],
      ['test_instance.should_refresh_with_move', 'test_instance.should_refresh', 'update'],
    ]);
  });

  it("counts a replacement in add and in destroy as Terraform's summary line does, and names the attribute that forces it", () => {
    const review = reviewOf('requires-replace');
    expect(verdict(review)).toBe(
      '1 to add, 0 to change, 1 to destroy (1 replacement, in both add and destroy): no risk found, but 1 destroyed: read it before merging',
    );
    expect(renderText(review)).toContain(
      '  test_instance.test: replace (replace_because_cannot_update)\n      ami: "bar" → "force-replace" (forces replacement)\n',
    );
  });

  it('never prints a sensitive value, in a resource or an output, in any format', () => {
    // Prepare: "boop" is the sensitive value in Terraform's sensitive-values test output.
    const review = reviewOf('sensitive-values');
    // Act
    const formats = [renderText(review), renderMarkdown(review), renderJson(review)];
    // Assess
    expect(JSON.stringify(terraformOutput('sensitive-values'))).toContain('boop');
    expect(formats.filter((text) => text.includes('boop'))).toEqual([]);
  });

  it('keeps the module path and index of each address in the change list', () => {
    const model = JSON.parse(renderJson(reviewOf('modules')));
    expect(model.changes.map((c: { address: string }) => c.address)).toEqual([
      'module.module_test_bar.test_instance.test',
      'module.module_test_foo.test_instance.test[0]',
      'module.module_test_foo.test_instance.test[1]',
      'module.module_test_foo.test_instance.test[2]',
    ]);
  });

  it('counts resources of aliased providers in nested modules like any other', () => {
    expect(reviewOf('provider-aliasing').counts).toEqual({
      add: 10,
      change: 0,
      destroy: 0,
      replace: 0,
      forget: 0,
      import: 0,
      move: 0,
    });
  });

  it('counts a resource removed from the configuration as destroyed, and says why', () => {
    const review = reviewOf('basic-delete');
    expect(review.counts).toEqual({ add: 0, change: 1, destroy: 1, replace: 0, forget: 0, import: 0, move: 0 });
    expect(renderText(review)).toContain('  test_instance.test-delete: delete (delete_because_no_resource_config)\n');
  });
});
