import type { Finding, Review } from '../../../review/model';
import { applyTeamRules, parseTeamRules, TEAM_RULES_FILE } from '../../../review/team-rules';

/** Team rules applied to findings, in process, rule by rule: which findings a rule changes and which it leaves. */

const LOG_GROUP: Finding = {
  kind: 'data-loss',
  severity: 'risk',
  address: 'aws_cloudwatch_log_group.workflow',
  message: 'is destroyed: its logs are lost',
};
const TABLE: Finding = {
  kind: 'data-loss',
  severity: 'risk',
  address: 'aws_dynamodb_table.orders',
  message: 'is replaced: every order is lost',
};

/** A review holding only `findings`; the rules read nothing else. */
const reviewOf = (...findings: Finding[]): Review => ({ findings }) as unknown as Review;
const rule = (fields: Record<string, unknown>) =>
  parseTeamRules(
    { rules: [{ kind: 'data-loss', severity: 'info', reason: 'accepted; INC-1', ...fields }] },
    TEAM_RULES_FILE,
  );

describe('Team rules: applyTeamRules', () => {
  it('lowers a finding whose kind and address match, keeping the reason', () => {
    expect(
      applyTeamRules(reviewOf(LOG_GROUP, TABLE), rule({ address: 'aws_cloudwatch_log_group.*' })).findings,
    ).toEqual([{ ...LOG_GROUP, severity: 'info', teamRule: 'accepted; INC-1' }, TABLE]);
  });

  it('matches the whole address: a pattern is not a prefix', () => {
    expect(applyTeamRules(reviewOf(LOG_GROUP), rule({ address: 'aws_cloudwatch_log_group' })).findings).toEqual([
      LOG_GROUP,
    ]);
  });

  it('matches the whole address: a pattern is not a suffix', () => {
    expect(applyTeamRules(reviewOf(LOG_GROUP), rule({ address: 'log_group.workflow' })).findings).toEqual([LOG_GROUP]);
  });

  it('reads a dot in the pattern as a dot, not any character', () => {
    expect(
      applyTeamRules(reviewOf(LOG_GROUP), rule({ address: 'aws_cloudwatch_log_group*workflow' })).findings[0].severity,
    ).toBe('info');
    expect(
      applyTeamRules(reviewOf(LOG_GROUP), rule({ address: 'aws_cloudwatch_log_groupxworkflow' })).findings,
    ).toEqual([LOG_GROUP]);
  });

  it('leaves a finding of another kind', () => {
    expect(applyTeamRules(reviewOf(LOG_GROUP), rule({ kind: 'privilege', address: '*' })).findings).toEqual([
      LOG_GROUP,
    ]);
  });

  it('changes only the findings whose message contains the rule message', () => {
    expect(applyTeamRules(reviewOf(LOG_GROUP, TABLE), rule({ address: '*', message: 'every order' })).findings).toEqual(
      [LOG_GROUP, { ...TABLE, severity: 'info', teamRule: 'accepted; INC-1' }],
    );
  });

  it('applies the first rule that matches', () => {
    const rules = parseTeamRules(
      {
        rules: [
          { kind: 'data-loss', address: 'aws_dynamodb_table.*', severity: 'risk', reason: 'never' },
          { kind: 'data-loss', address: '*', severity: 'info', reason: 'fine' },
        ],
      },
      TEAM_RULES_FILE,
    );
    expect(applyTeamRules(reviewOf(TABLE, LOG_GROUP), rules).findings.map((f) => [f.severity, f.teamRule])).toEqual([
      ['risk', 'never'],
      ['info', 'fine'],
    ]);
  });

  it('returns the review itself when there are no rules', () => {
    const review = reviewOf(TABLE);
    expect(applyTeamRules(review, [])).toBe(review);
  });
});

describe('Team rules: parseTeamRules', () => {
  it('keeps each field, the reason trimmed, and no message key when none is given', () => {
    expect(
      parseTeamRules({ rules: [{ kind: 'exposure', address: 'a.*', severity: 'risk', reason: '  why  ' }] }, 'f.json'),
    ).toStrictEqual([{ kind: 'exposure', address: 'a.*', severity: 'risk', reason: 'why' }]);
  });

  it.each([
    [null, 'f.json: expected an object with a "rules" list; received null. Fix: write { "rules": [ ... ] }.'],
    [[], 'f.json: expected an object with a "rules" list; received []. Fix: write { "rules": [ ... ] }.'],
    [
      { rules: {} },
      'f.json: expected an object with a "rules" list; received {"rules":{}}. Fix: write { "rules": [ ... ] }.',
    ],
    [
      { rules: ['x'] },
      'f.json: rules[0]: expected an object; received "x". Fix: give kind, address, severity and reason.',
    ],
    [
      { rules: [{ kind: 'data-loss', address: '*', severity: 'info', reason: 'r', why: 1 }] },
      'f.json: rules[0]: expected only the keys kind, address, message, severity, reason; received ["why"]. Fix: remove why.',
    ],
    [
      { rules: [{ kind: 'cost', address: '*', severity: 'info', reason: 'r' }] },
      'f.json: rules[0]: expected "kind" one of data-loss, privilege, exposure, workflow, code, change; received "cost". Fix: name the kind of finding the rule changes.',
    ],
    [
      { rules: [{ kind: 'data-loss', address: '', severity: 'info', reason: 'r' }] },
      'f.json: rules[0]: expected "address" a non-empty pattern such as aws_cloudwatch_log_group.*; received "". Fix: name the addresses the rule applies to.',
    ],
    [
      { rules: [{ kind: 'data-loss', address: '*', message: '', severity: 'info', reason: 'r' }] },
      'f.json: rules[0]: expected "message" a non-empty text, or no "message"; received "". Fix: give part of the finding\'s message, or leave it out.',
    ],
    [
      { rules: [{ kind: 'data-loss', address: '*', severity: 'warn', reason: 'r' }] },
      'f.json: rules[0]: expected "severity" risk or info; received "warn". Fix: say whether the findings become a risk or info.',
    ],
    [
      { rules: [{ kind: 'data-loss', address: '*', severity: 'info', reason: '   ' }] },
      'f.json: rules[0]: expected "reason" a non-empty text; received "   ". Fix: say why the team accepts this, so every review can print it.',
    ],
    [
      { rules: [null] },
      'f.json: rules[0]: expected an object; received null. Fix: give kind, address, severity and reason.',
    ],
    [
      { rules: [[]] },
      'f.json: rules[0]: expected an object; received []. Fix: give kind, address, severity and reason.',
    ],
    [
      { rules: [{ kind: 'data-loss', address: '*', severity: 'info', reason: 'r', why: 1, how: 2 }] },
      'f.json: rules[0]: expected only the keys kind, address, message, severity, reason; received ["why","how"]. Fix: remove why, how.',
    ],
    [
      { rules: [{ kind: 'data-loss', address: 7, severity: 'info', reason: 'r' }] },
      'f.json: rules[0]: expected "address" a non-empty pattern such as aws_cloudwatch_log_group.*; received 7. Fix: name the addresses the rule applies to.',
    ],
    [
      { rules: [{ kind: 'data-loss', address: '*', message: 7, severity: 'info', reason: 'r' }] },
      'f.json: rules[0]: expected "message" a non-empty text, or no "message"; received 7. Fix: give part of the finding\'s message, or leave it out.',
    ],
    [
      { list: 'x'.repeat(100) },
      `f.json: expected an object with a "rules" list; received {"list":"${'x'.repeat(71)}. Fix: write { "rules": [ ... ] }.`,
    ],
  ])('refuses %j with InvalidTeamRules', (document, message) => {
    expect(() => parseTeamRules(document, 'f.json')).toThrow(
      expect.objectContaining({ name: 'InvalidTeamRules', message }),
    );
  });
});
