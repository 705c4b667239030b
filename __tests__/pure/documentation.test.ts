import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../support/app';

/**
 * The README is a front page and every other page hangs off it: these tests keep it short, keep every
 * relative link (and its anchor) pointing somewhere, and keep its layout table naming the whole top level.
 */

const read = (file: string): string => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

/** The markdown pages whose links are checked, relative to the project root. */
function pages(): string[] {
  const docs = fs.readdirSync(path.join(PROJECT_ROOT, 'docs')).filter((f) => f.endsWith('.md'));
  return ['README.md', 'CONTRIBUTING.md', ...docs.map((f) => `docs/${f}`)];
}

/** A page's text without fenced code blocks, where a `#` is no heading and a bracket no link. */
function withoutCodeBlocks(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** A page's text without code, blocks or inline, where a bracket is not a link. */
function prose(text: string): string {
  return withoutCodeBlocks(text).replace(/`[^`\n]*`/g, '');
}

/** The targets of a page's markdown links and `src` attributes. */
function linkTargets(text: string): string[] {
  const body = prose(text);
  const links = [...body.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
  const sources = [...body.matchAll(/\bsrc="([^"]+)"/g)].map((m) => m[1]);
  return [...links, ...sources];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slugOf(heading: string): string {
  return heading
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a page defines: its headings (numbered on repeats, as GitHub does) and `<a id>`s. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of withoutCodeBlocks(text).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = slugOf(heading);
    const n = seen.get(slug) ?? 0;
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
    seen.set(slug, n + 1);
  }
  for (const [, id] of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id);
  return anchors;
}

/** The broken relative links of a page, each as `page -> target`. */
function brokenLinks(
  page: string,
  text: string,
  exists: (file: string) => boolean,
  textOf: (file: string) => string,
): string[] {
  const broken: string[] = [];
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [file, anchor] = target.split('#');
    const resolved = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
    if (!exists(resolved)) {
      broken.push(`${page} -> ${target}`);
      continue;
    }
    if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(textOf(resolved)).has(anchor)) {
      broken.push(`${page} -> ${target}`);
    }
  }
  return broken;
}

const existsInProject = (file: string): boolean => fs.existsSync(path.join(PROJECT_ROOT, file));

describe('Documentation: the README', () => {
  const readme = read('README.md');

  it('is a front page of at most 300 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
  });

  it('names every top-level folder and file the repository tracks in its layout table', () => {
    // Prepare
    const tracked = execFileSync('git', ['ls-files'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const topLevel = [...new Set(tracked.map((file) => file.split('/')[0]))];
    const section = /\n## Project layout\n([\s\S]*?)(\n## |$)/.exec(readme)?.[1] ?? '';
    // Act
    const named = new Set(
      section
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .flatMap((line) => [...line.split('|')[1].matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\/$/, ''))),
    );
    // Assess
    expect(topLevel.length).toBeGreaterThan(0);
    expect(topLevel.filter((entry) => !named.has(entry))).toEqual([]);
  });
});

describe('Documentation: links', () => {
  it.each(pages())('every relative link of %s points to a file, and to an anchor it has', (page) => {
    expect(brokenLinks(page, read(page), existsInProject, read)).toEqual([]);
  });
});

describe('Documentation: the link checker', () => {
  const files: Record<string, string> = {
    'README.md': '# Title\n\n## Quick start\n\n[docs](docs/a.md#the-part) [here](#quick-start)\n',
    'docs/a.md': '# A\n\n## The part\n\n<a id="kept"></a>\n\n[back](../README.md#title) [kept](#kept)\n',
  };
  const exists = (file: string): boolean => file in files;
  const textOf = (file: string): string => files[file];

  it('accepts links to existing files, headings and explicit anchors', () => {
    expect(brokenLinks('README.md', files['README.md'], exists, textOf)).toEqual([]);
    expect(brokenLinks('docs/a.md', files['docs/a.md'], exists, textOf)).toEqual([]);
  });

  it('reports a link to a missing file', () => {
    expect(brokenLinks('README.md', '[x](docs/b.md)', exists, textOf)).toEqual(['README.md -> docs/b.md']);
  });

  it('reports a link to a missing anchor', () => {
    expect(brokenLinks('README.md', '[x](docs/a.md#another-part)', exists, textOf)).toEqual([
      'README.md -> docs/a.md#another-part',
    ]);
  });

  it('ignores absolute URLs and links inside code', () => {
    expect(
      brokenLinks(
        'README.md',
        '[x](https://example.com/y) `[z](missing.md)`\n```\n[w](missing.md)\n```\n',
        exists,
        textOf,
      ),
    ).toEqual([]);
  });

  it('makes anchors as GitHub does: punctuation and backticks dropped, repeats numbered', () => {
    expect([
      ...anchorsOf(
        '## Policies for deploying, planning and operating\n### `npm start` (offline)\n## Notes\n## Notes\n',
      ),
    ]).toEqual(['policies-for-deploying-planning-and-operating', 'npm-start-offline', 'notes', 'notes-1']);
  });
});
