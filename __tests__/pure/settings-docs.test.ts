import * as fs from 'node:fs';
import {
  CONFIGURATION_PAGE,
  END_MARKER,
  renderSettingsTable,
  START_MARKER,
  withSettingsTable,
} from '../../scripts/settings-docs';

/**
 * The settings table of docs/configuration.md is written by `npm run docs:settings` from the registry
 * (lib/settings.ts), as terraform-docs writes a module's inputs: a committed table that differs from
 * what the command writes fails here.
 */

describe('Docs: the settings table of docs/configuration.md', () => {
  it('is the table npm run docs:settings writes from the registry', () => {
    const page = fs.readFileSync(CONFIGURATION_PAGE, 'utf8');
    const committed = page.slice(page.indexOf(START_MARKER) + START_MARKER.length, page.indexOf(END_MARKER)).trim();
    expect(committed).toBe(renderSettingsTable());
  });

  it('has one row per MPW_* variable, each naming its context key, its module variable and its default', () => {
    const rows = renderSettingsTable().split('\n').slice(2);
    expect(rows.slice(0, 3)).toEqual([
      '| `region` | `MPW_REGION` | none | `us-east-1` | An AWS region name such as `eu-west-1` |',
      '| `namePrefix` | `MPW_NAME_PREFIX` | `name_prefix` | empty (no prefix) | Up to 20 of `A-Z a-z 0-9 -`, e.g. `dev-`; goes in front of every resource name |',
      '| `tableName` | `MPW_TABLE_NAME` | `table_name` | `MockOrders` | 3 to 255 of `A-Z a-z 0-9 _ . -` (the name before the prefix) |',
    ]);
    expect(rows).toHaveLength(28);
  });

  it('shows a default that depends on the workflow type as both values', () => {
    expect(renderSettingsTable()).toContain(
      '| `stateMachineLogLevel` | `MPW_STATE_MACHINE_LOG_LEVEL` | `state_machine_log_level` | `ERROR` (`ALL` with `EXPRESS`) |',
    );
  });

  it('replaces only the text between the markers', () => {
    expect(withSettingsTable(`intro\n${START_MARKER}\nold table\n${END_MARKER}\noutro\n`)).toBe(
      `intro\n${START_MARKER}\n${renderSettingsTable()}\n${END_MARKER}\noutro\n`,
    );
  });
});
