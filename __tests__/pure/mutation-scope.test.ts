import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The mutation scope is written three times: what Stryker mutates, what its TypeScript checker compiles,
 * and what docs/mutation-testing.md tells a reader. They must name the same files.
 */
const read = (file: string) => fs.readFileSync(path.join(__dirname, '..', '..', file), 'utf8');
const stryker = JSON.parse(read('stryker.config.json')) as { mutate: string[] };
const checker = JSON.parse(read('tsconfig.mutate.json')) as { include: string[] };
const docs = read('docs/mutation-testing.md');

/** A scope entry without its line range (`review/gate.ts:1-17`) or recursive glob (`handlers/**\/*.ts`). */
const fileOf = (entry: string) => entry.replace(/:\d+-\d+$/, '').replace('**/', '');

describe('Mutation scope', () => {
  it('is the list of files the TypeScript checker compiles', () => {
    expect(checker.include.map(fileOf)).toEqual(stryker.mutate.map(fileOf));
  });

  it('is the list of files docs/mutation-testing.md names under "What it mutates"', () => {
    const section = docs.slice(docs.indexOf('## What it mutates'), docs.indexOf('## What it runs'));
    const named = [...section.matchAll(/`([a-z/*-]+\.ts)`/g)].map((match) => match[1]);
    expect([...named].sort()).toEqual(stryker.mutate.map(fileOf).sort());
  });
});
