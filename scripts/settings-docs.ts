/**
 * Writes the settings table of docs/configuration.md from the registry (lib/settings.ts), between its
 * `<!-- settings:start -->` and `<!-- settings:end -->` markers, as terraform-docs writes a module's
 * inputs. `npm run docs:settings`; __tests__/settings-docs.test.ts fails when the committed table differs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allSettings, type Setting } from '../lib/settings';

/** The page that holds the table. */
export const CONFIGURATION_PAGE = path.join(__dirname, '..', 'docs', 'configuration.md');

export const START_MARKER = '<!-- settings:start -->';
export const END_MARKER = '<!-- settings:end -->';

/** The table, one row per setting in the registry's order. */
export function renderSettingsTable(): string {
  const rows = allSettings().map(({ setting }) => {
    const moduleVariable = setting.module === undefined ? 'none' : `\`${setting.module.name}\``;
    return `| \`${setting.key}\` | \`${setting.env}\` | ${moduleVariable} | ${defaultText(setting)} | ${setting.docs.allowed} |`;
  });
  return [
    '| Context key (`cdktf.json`) | Environment variable | Module variable | Default | Allowed values |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The default as the docs say it: the words of the registry, else the value (one per workflow type where it depends on it). */
function defaultText(setting: Setting<unknown>): string {
  const found = setting.default;
  if (setting.docs.default !== undefined) return setting.docs.default;
  if (found === undefined)
    throw new Error(`${setting.key} has no default: give docs.default the words for it in lib/settings.ts`);
  if (found.kind === 'derived') return found.text;
  const shown = (value: unknown): string => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
  if (found.kind === 'perWorkflowType')
    return `${shown(found.values.STANDARD)} (${shown(found.values.EXPRESS)} with \`EXPRESS\`)`;
  return shown(found.value);
}

/** `page` with the text between its markers replaced by the generated table. */
export function withSettingsTable(page: string): string {
  const start = page.indexOf(START_MARKER);
  const end = page.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`the page has no ${START_MARKER} ... ${END_MARKER} markers`);
  return `${page.slice(0, start + START_MARKER.length)}\n${renderSettingsTable()}\n${page.slice(end)}`;
}

if (require.main === module) {
  fs.writeFileSync(CONFIGURATION_PAGE, withSettingsTable(fs.readFileSync(CONFIGURATION_PAGE, 'utf8')));
  console.log(`wrote the settings table of ${path.relative(process.cwd(), CONFIGURATION_PAGE)}`);
}
