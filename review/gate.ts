/**
 * The pull-request check: fails on a data-loss or privilege risk unless the pull request carries the
 * label that acknowledges it. A risk does not block by itself; an unacknowledged one does.
 *
 *   ACKNOWLEDGED=true|false node -r esbuild-register review/gate.ts review.json
 */
import * as fs from 'node:fs';
import { BLOCKING_KINDS, type Finding, RISK_ACKNOWLEDGED_LABEL } from './model';

/** The message of a failed check, or undefined when the check passes. */
export function gateFailure(findings: readonly Finding[], acknowledged: boolean): string | undefined {
  const blocking = findings.filter((f) => f.severity === 'risk' && BLOCKING_KINDS.includes(f.kind));
  if (blocking.length === 0 || acknowledged) return undefined;
  const list = blocking.map((f) => `${f.kind} ${f.address}: ${f.message}`).join('; ');
  return `${blocking.length} data-loss or privilege risk${blocking.length === 1 ? '' : 's'} not acknowledged (${list}). Once a reviewer has accepted ${blocking.length === 1 ? 'it' : 'them'}, add the label ${RISK_ACKNOWLEDGED_LABEL} to the pull request.`;
}

/**
 * `text` escaped as the data of a workflow command (`::error::`), as @actions/core escapes it: the
 * addresses come from the pull request, and a line break in one would start a command of its own.
 */
export function workflowCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

if (require.main === module) {
  const model = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as { findings: Finding[] };
  const failure = gateFailure(model.findings, process.env.ACKNOWLEDGED === 'true');
  if (failure !== undefined) {
    process.stdout.write(`::error::${workflowCommandData(failure)}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('No unacknowledged data-loss or privilege risk.\n');
  }
}
