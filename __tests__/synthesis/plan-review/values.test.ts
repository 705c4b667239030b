import {
  block,
  credentialMark,
  entropyBits,
  leaves,
  looksRandom,
  marked,
  maskCredentials,
  maskSecretEnvironment,
  maskSensitive,
  parseJsonString,
  pathText,
  sameValue,
  show,
} from '../../../review/values';

/**
 * The plan reviewer's value helpers, function by function with literal values: what is masked (a
 * secret printed in a pull-request comment cannot be taken back) and how values are flattened and shown.
 */

/** 32 distinct characters, upper and lower case and digits: 5 bits per character. */
const RANDOM_32 = 'ABCDEFGHIJKLMNOPabcdefghijklmn01';
const RANDOM_MARK = '(credential: a random string of credential length)';

describe('Plan review values: maskSensitive', () => {
  it('masks a whole value its mirror marks true', () => {
    expect(maskSensitive({ a: 1 }, true)).toBe('(sensitive)');
  });

  it('leaves a null value null even when marked', () => {
    expect(maskSensitive(null, true)).toBeNull();
  });

  it('masks only the leaves the mirror marks, in objects and lists', () => {
    expect(maskSensitive({ a: 1, b: { c: 2, d: 3 }, e: [4, 5] }, { b: { c: true }, e: [false, true] })).toEqual({
      a: 1,
      b: { c: '(sensitive)', d: 3 },
      e: [4, '(sensitive)'],
    });
  });

  it.each([[false], [null], [undefined]])('leaves a value unmasked under a mirror of %s', (mirror) => {
    expect(maskSensitive({ a: 'x' }, mirror)).toEqual({ a: 'x' });
  });
});

describe('Plan review values: maskSecretEnvironment', () => {
  it('masks a Lambda environment variable whose name looks secret, and no other', () => {
    const value = {
      environment: [{ variables: { DB_PASSWORD: 'hunter2', API_KEY: 'k', REGION: 'eu' } }],
      tags: { token: 'abc' },
    };
    expect(maskSecretEnvironment(value)).toEqual({
      environment: [{ variables: { DB_PASSWORD: '(sensitive)', API_KEY: '(sensitive)', REGION: 'eu' } }],
      tags: { token: 'abc' },
    });
  });

  it('looks inside an object under a secret-looking name instead of masking it whole', () => {
    expect(maskSecretEnvironment({ environment: { variables: { auth: { mode: 'x' } } } })).toEqual({
      environment: { variables: { auth: { mode: 'x' } } },
    });
  });

  it('masks a credential by its value under any key', () => {
    expect(maskSecretEnvironment({ description: 'uses AKIAIOSFODNN7EXAMPLE' })).toEqual({
      description: 'uses (credential: an AWS access key id)',
    });
  });

  it('keeps a number as it is', () => {
    expect(maskSecretEnvironment(5)).toBe(5);
  });
});

describe('Plan review values: credentials by value', () => {
  it('writes the mark of a credential kind', () => {
    expect(credentialMark('a Slack token')).toBe('(credential: a Slack token)');
  });

  it.each([
    ['an AWS access key id', 'key AKIAIOSFODNN7EXAMPLE here', 'key (credential: an AWS access key id) here'],
    [
      'a Stripe secret key of 40 characters, whole',
      `sk_live_${RANDOM_32}23456789`,
      '(credential: a Stripe secret key)',
    ],
    ['a GitHub token', `ghp_${RANDOM_32}2345`, '(credential: a GitHub token)'],
    ['a Slack token', 'xoxb-1234567890-abc', '(credential: a Slack token)'],
    [
      'a private key without its END line, up to the quote',
      '"-----BEGIN RSA PRIVATE KEY-----\nMIIE"',
      '"(credential: a private key)"',
    ],
    ['a random run of 32 characters', `x ${RANDOM_32} y`, `x ${RANDOM_MARK} y`],
    ['a random run with trailing padding', `${RANDOM_32}==`, RANDOM_MARK],
    ['an AWS secret access key with slashes', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', RANDOM_MARK],
  ])('masks %s', (_, text, masked) => {
    expect(maskCredentials(text)).toBe(masked);
  });

  it.each([
    ['a random run of 31 characters', RANDOM_32.slice(1)],
    ['a run without digits', 'ABCDEFGHIJKLMNOPabcdefghijklmnopq'],
    ['a run of few distinct characters', 'Aa1'.repeat(11)],
    ['a run longer than 128 characters, an encoded file', RANDOM_32.repeat(5)],
    ['a path that starts with a slash', `/assets/${RANDOM_32}`],
    ['a path with a lower-case folder', `x/assets/${RANDOM_32}`],
    ['a UUID', '123e4567-e89b-12d3-a456-426614174000'],
  ])('does not mask %s', (_, text) => {
    expect(maskCredentials(text)).toBe(text);
  });

  it('does not mask a random run in an attribute that holds a digest', () => {
    expect(maskCredentials(RANDOM_32, 'source_code_hash')).toBe(RANDOM_32);
  });

  it('still masks a known format in an attribute that holds a digest', () => {
    expect(maskCredentials('AKIAIOSFODNN7EXAMPLE', 'etag')).toBe('(credential: an AWS access key id)');
  });

  it('measures 5 bits per character for 32 distinct characters, 1 for two, 0 for one repeated', () => {
    expect([entropyBits(RANDOM_32), entropyBits('abab'), entropyBits('aaaa')]).toEqual([5, 1, 0]);
  });

  it('takes 32 to 128 random characters with upper and lower case and digits for random', () => {
    expect([
      looksRandom(RANDOM_32),
      looksRandom(RANDOM_32.repeat(4)),
      looksRandom(`${RANDOM_32.repeat(4)}A`),
      looksRandom(RANDOM_32.toLowerCase()),
    ]).toEqual([true, true, false, false]);
  });
});

describe('Plan review values: leaves, marked, pathText', () => {
  it('lists every leaf by its path, an empty object or list as a leaf of its own', () => {
    expect([...leaves({ a: { b: 1, c: [2, {}] }, d: [] }).entries()]).toEqual([
      ['a.b', { path: ['a', 'b'], value: 1 }],
      ['a.c[0]', { path: ['a', 'c', 0], value: 2 }],
      ['a.c[1]', { path: ['a', 'c', 1], value: {} }],
      ['d', { path: ['d'], value: [] }],
    ]);
  });

  it('lists a scalar as one leaf at the empty path', () => {
    expect([...leaves('x').entries()]).toEqual([['', { path: [], value: 'x' }]]);
  });

  it.each([
    [{ a: { b: true } }, ['a', 'b'], true],
    [{ a: true }, ['a', 'b', 0], true],
    [{ a: [true] }, ['a', 0], true],
    [true, [], true],
    [{ a: { b: false } }, ['a', 'b'], false],
    [{ a: 'x' }, ['a', 'b'], false],
    [{ a: { b: true } }, ['a'], false],
    [null, ['a'], false],
  ] as const)('reads mirror %j at %j as %s', (mirror, path, expected) => {
    expect(marked(mirror, path)).toBe(expected);
  });

  it('writes a path as a reviewer reads it', () => {
    expect([pathText(['point_in_time_recovery', 0, 'enabled']), pathText([0, 'a']), pathText([])]).toEqual([
      'point_in_time_recovery[0].enabled',
      '[0].a',
      '',
    ]);
  });
});

describe('Plan review values: block, show, sameValue, parseJsonString', () => {
  it('reads a block written as a one-element list or as an object', () => {
    expect([block([{ a: 1 }]), block({ a: 1 }), block([]), block('x'), block(null), block([null])]).toEqual([
      { a: 1 },
      { a: 1 },
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('shows values on one line, strings quoted but the placeholders as they are', () => {
    expect([
      show(undefined),
      show(null),
      show('abc'),
      show('(sensitive)'),
      show('(known after apply)'),
      show({ a: [1] }),
      show(3),
    ]).toEqual(['null', 'null', '"abc"', '(sensitive)', '(known after apply)', '{"a":[1]}', '3']);
  });

  it('shortens a value longer than its limit to the limit, with an ellipsis', () => {
    expect([show('abcdef', 5), show('abc', 5), show('x'.repeat(130)).length]).toEqual(['"abc…', '"abc"', 120]);
  });

  it.each([
    [{ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 }, true],
    [{ b: 1, a: 2, c: 3 }, { c: 3, a: 2, b: 1 }, true],
    [undefined, null, true],
    [[1, 2], [2, 1], false],
    ['1', 1, false],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: { b: 1 } }, { a: { b: 2 } }, false],
  ])('compares %j and %j as JSON values: %s', (a, b, expected) => {
    expect(sameValue(a, b)).toBe(expected);
  });

  it('parses a string that holds JSON, and nothing else', () => {
    expect([
      parseJsonString('{"a":1}'),
      parseJsonString('"x"'),
      parseJsonString('not json'),
      parseJsonString(5),
    ]).toEqual([{ a: 1 }, 'x', undefined, undefined]);
  });
});
