import type { Construct, IConstruct } from 'constructs';
import {
  conditional,
  type IAspect,
  Op,
  TerraformBackend,
  TerraformProvider,
  type TerraformRemoteState,
  TerraformResource,
  type TerraformStack,
  Token,
} from 'cdktf';

/** Tags the module puts on every taggable resource, under the caller's `tags`. */
export const MODULE_TAGS = { project: 'mock-payment-workflow' } as const;

/**
 * The `count` of a resource that exists only when a module input that may be null is given: 1 with it,
 * 0 without (`value == null ? 0 : 1`).
 */
export function countIfGiven(value: string): number {
  return Token.asNumber(conditional(Op.eq(value, Token.nullValue()), 0, 1));
}

/**
 * Building blocks that let a cdktf stack synthesize as a reusable Terraform module. A module declares
 * the providers it needs (`required_providers`) but never configures them, and has no state backend:
 * both belong to the root module that calls it. cdktf assumes every stack is a root module, so each
 * block below fills a slot cdktf insists on with something that renders only what a module may hold.
 *
 * @see https://developer.hashicorp.com/terraform/language/modules/develop/providers
 */

/** Properties of a {@link RequiredProvider}. */
export interface RequiredProviderProps {
  /** The provider's local name, which its resources' types start with (`aws`). */
  readonly name: string;
  /** The provider's registry source (`hashicorp/aws`). */
  readonly source: string;
  /** A version range the module works with (`>= 6.25.0, < 7.0.0`), never one exact version. */
  readonly version: string;
}

/**
 * Declares a provider in `terraform.required_providers`, and writes no `provider` block.
 *
 * cdktf refuses to synthesize a stack whose resources have no provider construct of the same provider
 * name (the `ValidateProviderPresence` validation every `TerraformStack` adds). This is such a
 * construct, so the validation keeps guarding against a provider nobody declared; it only renders the
 * requirement, because a module that configures a provider cannot be used with `count`, `for_each`,
 * or a provider the caller passes in.
 */
export class RequiredProvider extends TerraformProvider {
  private readonly requirement: RequiredProviderProps;

  constructor(scope: Construct, id: string, props: RequiredProviderProps) {
    super(scope, id, {
      terraformResourceType: props.name,
      terraformGeneratorMetadata: { providerName: props.name, providerVersionConstraint: props.version },
      terraformProviderSource: props.source,
    });
    this.requirement = props;
  }

  /** Only the requirement: `terraform.required_providers.<name>`. */
  public override toTerraform(): any {
    const { name, source, version } = this.requirement;
    return { terraform: { required_providers: { [name]: { source, version } } } };
  }

  /** Same as {@link toTerraform}, for cdktf's HCL output. */
  public override toHclTerraform(): any {
    return this.toTerraform();
  }
}

/**
 * Takes the stack's backend slot and renders nothing, so the module has no `backend` block.
 *
 * At synth cdktf gives every stack without a backend construct an implicit `LocalBackend`
 * (`TerraformStack.ensureBackendExists`), whose path is an absolute path of the synthesizing machine.
 * Where a module's state lives is the calling root's choice, so the module must have none.
 */
export class NoBackend extends TerraformBackend {
  constructor(scope: TerraformStack) {
    super(scope, 'backend', 'none');
  }

  /** Nothing: no `terraform.backend` key. */
  public override toTerraform(): any {
    return {};
  }

  /** Nothing, for cdktf's HCL output. */
  public override toHclTerraform(): any {
    return {};
  }

  /** Tells cdktf's stack metadata that there is no backend. */
  public override toMetadata(): any {
    return { backend: 'none' };
  }

  /** A module keeps no state of its own, so no other stack can read its outputs from state. */
  public getRemoteStateDataSource(_scope: Construct, _name: string, fromStack: string): TerraformRemoteState {
    throw new Error(
      `Stack ${fromStack} is a Terraform module without state: expected references to its outputs through a module block, ` +
        'received a cross-stack reference. Fix: read the outputs in the root module that calls it.',
    );
  }
}

/** A resource of a provider that supports tags (its generated class has `tags` and `tagsInput`). */
interface TaggableResource extends TerraformResource {
  tags: Record<string, string>;
  readonly tagsInput: Record<string, string> | undefined;
}

/**
 * Sets `tags` on every resource that supports them, below the scope it is added to. A module cannot
 * use the AWS provider's `default_tags` (it has no provider block), so the tags go on each resource;
 * the caller's `default_tags` still apply beside them. An aspect reaches resources the constructs add
 * later too; a resource that already sets its own tags is left as it is.
 */
export class TagResources implements IAspect {
  constructor(private readonly tags: Record<string, string>) {}

  /** Tags `node` when it is a taggable resource. */
  public visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node) || !('tagsInput' in node)) return;
    const resource = node as TaggableResource;
    if (resource.tagsInput === undefined) resource.tags = this.tags;
  }
}
