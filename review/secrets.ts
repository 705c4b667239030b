/**
 * Credentials by value: a string that looks like a credential is masked when the change is read
 * ({@link maskCredentials} in `values.ts`); this rule reports where one appears in plain text.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html (returns the environment)
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html (Secrets Manager for credentials)
 */
import type { Finding, ResourceChange } from './model';
import { CREDENTIAL_MARK, leaves } from './values';

/** The kinds of credential a masked string held, in order, once each. */
function credentialKinds(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [...new Set([...value.matchAll(CREDENTIAL_MARK)].map((match) => match[1]))];
}

/** A credential in plain text that the change writes where it was not before. */
export function secretFindings(change: ResourceChange): Finding[] {
  if (change.action !== 'create' && change.action !== 'update' && change.action !== 'replace') return [];
  const before = leaves(change.before);
  const findings: Finding[] = [];
  for (const [key, { path, value }] of leaves(change.after)) {
    const old = new Set(credentialKinds(before.get(key)?.value));
    const kinds = credentialKinds(value).filter((kind) => !old.has(kind));
    if (kinds.length === 0) continue;
    const what = `what looks like ${kinds.join(' and ')}, in plain text`;
    const variable =
      path[0] === 'environment' && path.includes('variables') ? String(path[path.length - 1]) : undefined;
    const message =
      change.type === 'aws_lambda_function' && variable !== undefined
        ? `environment variable ${variable} holds ${what}: anyone who may read the function's configuration (lambda:GetFunctionConfiguration) or the Terraform state can read it`
        : `${key} holds ${what}: anyone who may read this resource's configuration or the Terraform state can read it`;
    findings.push({ kind: 'exposure', severity: 'risk', address: change.address, message });
  }
  return findings;
}
