import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderedPolicies, renderPolicy } from '../../lib/external-roles';

/**
 * The files of iam/ are generated: `npm run policies` writes them from lib/external-roles.ts (the step
 * table, the resource names, the action lists). Here the generator runs in memory and each committed
 * file must be what it writes; external-roles.test.ts, operator-commands.test.ts and
 * trust-policies.test.ts prove the committed files with the IAM simulator.
 */
const IAM_DIR = path.join(__dirname, '..', '..', 'iam');
const generated = renderedPolicies();

describe('Generated files: iam/', () => {
  it('holds exactly the files npm run policies writes, and nothing else', () => {
    expect(fs.readdirSync(IAM_DIR).sort()).toEqual(Object.keys(generated).sort());
  });

  it.each(Object.keys(generated))('iam/%s is what npm run policies writes', (file) => {
    const committed = fs.readFileSync(path.join(IAM_DIR, file), 'utf8');
    const verdict =
      committed === generated[file]
        ? 'up to date'
        : `iam/${file} differs from what the generator writes. Fix: run \`npm run policies\` (change lib/external-roles.ts or workflow/steps.ts, never the file) and commit the result.`;
    expect(verdict).toBe('up to date');
  });
});

describe('Function: renderPolicy', () => {
  const statement = (Action: string | string[]) => ({ Sid: 'S', Effect: 'Allow' as const, Action, Resource: '*' });

  it('writes the document and each statement one member a line, with a final newline', () => {
    expect(renderPolicy({ Version: '2012-10-17', Statement: [statement('s3:GetObject')] })).toBe(
      [
        '{',
        '  "Version": "2012-10-17",',
        '  "Statement": [',
        '    {',
        '      "Sid": "S",',
        '      "Effect": "Allow",',
        '      "Action": "s3:GetObject",',
        '      "Resource": "*"',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('puts a list on one line when the line fits in 120 characters', () => {
    const text = renderPolicy({ Version: '2012-10-17', Statement: [statement(['s3:GetObject', 's3:PutObject'])] });
    expect(text).toContain('\n      "Action": ["s3:GetObject", "s3:PutObject"],\n');
  });

  it('writes a list one item a line when its line would pass 120 characters', () => {
    // "      \"Action\": [" is 17 characters, "]," 2, each ", " 2: 17 + 32 + 32 + 33 + 4 + 2 = 120.
    const [a, b] = ['x:'.padEnd(30, 'A'), 'y:'.padEnd(30, 'A')];
    const fits = renderPolicy({ Version: '2012-10-17', Statement: [statement([a, b, 'z:'.padEnd(31, 'A')])] });
    const long = renderPolicy({ Version: '2012-10-17', Statement: [statement([a, b, 'z:'.padEnd(32, 'A')])] });
    expect({ fits: fits.split('\n').length, long: long.split('\n').length }).toEqual({ fits: 12, long: 16 });
  });
});
