import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Every module a room's TypeScript files import, as written, with the importing file. */
function importsOf(room: string): { file: string; specifier: string }[] {
  const files = fs
    .readdirSync(path.join(ROOT, room), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'));
  return files.flatMap((file) => {
    const text = fs.readFileSync(path.join(ROOT, room, file), 'utf8');
    const specifiers = [...text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map(
      (m) => m[1],
    );
    return specifiers.map((specifier) => ({ file: `${room}/${file}`, specifier: resolveRoom(room, file, specifier) }));
  });
}

/** A relative import as the room it reaches (`lib/...`), a package as its name. */
function resolveRoom(room: string, file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return path.relative(ROOT, path.resolve(ROOT, room, path.dirname(file), specifier));
}

describe('Architecture: three rooms with one-way doors', () => {
  it('keeps the step table and error names apart: the workflow room imports no other room, nor cdktf nor any package', () => {
    const offending = importsOf('workflow').filter(({ specifier }) => !specifier.startsWith('workflow/'));
    expect(offending).toEqual([]);
  });

  it('lets the handlers and the infrastructure share the step table: both import the workflow room', () => {
    const reached = (room: string) => importsOf(room).some(({ specifier }) => specifier === 'workflow/steps');
    expect({ handlers: reached('handlers'), lib: reached('lib') }).toEqual({ handlers: true, lib: true });
  });

  it('keeps cdktf and the infrastructure out of the handlers', () => {
    const offending = importsOf('handlers').filter(({ specifier }) =>
      /^(cdktf|@cdktf\/|constructs)|^(lib|local)\//.test(specifier),
    );
    expect(offending).toEqual([]);
  });

  it('keeps cdktf, the infrastructure and the handler sources out of the local runtime', () => {
    const offending = importsOf('local').filter(({ specifier }) =>
      /^(cdktf|@cdktf\/|constructs)|^(lib|handlers)\//.test(specifier),
    );
    expect(offending).toEqual([]);
  });

  it('lets the infrastructure know the handlers only by path', () => {
    const offending = importsOf('lib').filter(({ specifier }) => /^(handlers|local)\//.test(specifier));
    expect(offending).toEqual([]);
  });

  it('keeps the plan review apart: it reads JSON and imports no other room, nor cdktf', () => {
    const offending = importsOf('review').filter(({ specifier }) =>
      /^(cdktf|@cdktf\/|constructs)|^(lib|local|handlers|scripts)\//.test(specifier),
    );
    expect(offending).toEqual([]);
  });

  it('keeps the pricing model pure: it imports nothing, so the plan review can price a synthesis without cdktf', () => {
    expect(importsOf('pricing')).toEqual([]);
  });

  it('keeps the CDK Terrain check apart: it copies the project as files and imports no other room, nor cdktf or cdktn', () => {
    const offending = importsOf('terrain').filter(({ specifier }) =>
      /^(cdktf|cdktn|@cdktf\/|@cdktn\/|constructs)|^(lib|local|handlers|review|scripts)\//.test(specifier),
    );
    expect(offending).toEqual([]);
  });

  it('writes the policies of iam/ without cdktf: the generator and the resource names import only the step table and the policy types', () => {
    const generator = importsOf('lib').filter(({ file }) =>
      ['lib/external-roles.ts', 'lib/resource-names.ts'].includes(file),
    );
    expect([...new Set(generator.map(({ specifier }) => specifier))].sort()).toEqual([
      'lib/policies',
      'lib/resource-names',
      'workflow/steps',
    ]);
  });

  it('imports provider classes by deep path, never the package index', () => {
    // The index loads every resource class: about 3 s, against 0.2 s for one deep import.
    const offending = importsOf('lib').filter(({ specifier }) => /^@cdktf\/provider-(aws|archive)$/.test(specifier));
    const main = fs.readFileSync(path.join(ROOT, 'main.ts'), 'utf8');
    expect({ offending, mainImportsIndex: /['"]@cdktf\/provider-(aws|archive)['"]/.test(main) }).toEqual({
      offending: [],
      mainImportsIndex: false,
    });
  });
});
