import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderedPolicies } from '../lib/external-roles';

/**
 * `npm run policies`: writes every file of iam/ from lib/external-roles.ts (the step table, the
 * resource names, the action lists) and says which changed. __tests__/policy-files.test.ts fails when
 * a committed file differs from what this writes.
 */
const IAM_DIR = path.join(__dirname, '..', 'iam');

for (const [file, text] of Object.entries(renderedPolicies())) {
  const target = path.join(IAM_DIR, file);
  const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (before === text) continue;
  fs.writeFileSync(target, text);
  console.log(`${before === undefined ? 'wrote' : 'updated'} iam/${file}`);
}
