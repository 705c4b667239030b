import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../local/console/browser';
import { reviewOfPlan } from '../../support/plan-review';

/** The mermaid build the console serves, as GitHub renders a comment's mermaid blocks with mermaid too. */
const MERMAID_JS = path.join(path.dirname(require.resolve('mermaid/package.json')), 'dist', 'mermaid.min.js');

// The callback given to page.evaluate runs in the page, where mermaid is a global.
declare const mermaid: {
  parse: (text: string) => Promise<unknown>;
  render: (id: string, text: string) => Promise<{ svg: string }>;
};

describe('Plan review: the workflow graph in a real browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Renders mermaid text in Chromium; returns the SVG, or the parse error's message. */
  async function render(text: string): Promise<{ svg?: string; error?: string }> {
    const page = await browser.newPage();
    try {
      await page.setContent('<!doctype html><html><body></body></html>');
      await page.addScriptTag({ path: MERMAID_JS });
      return await page.evaluate(async (source) => {
        try {
          await mermaid.parse(source);
          return { svg: (await mermaid.render('graph', source)).svg };
        } catch (error) {
          return { error: String((error as Error).message ?? error) };
        }
      }, text);
    } finally {
      await page.close();
    }
  }

  it('draws the new definition of a risky change, the added state marked added and the changed ones changed', async () => {
    // Prepare
    const [workflow] = reviewOfPlan('risky-change').workflows;
    // Act
    const { svg, error } = await render(workflow.mermaid);
    // Assess
    expect(error).toBeUndefined();
    expect(svg).toMatch(/class="node default added[^"]*"[^>]*id="[^"]*-s9-/);
    expect(svg).toMatch(/class="node default changed[^"]*"[^>]*id="[^"]*-s0-/);
    expect(svg).toContain('WaitForFunds');
  }, 60_000);

  it('fails to parse a broken graph, so a passing parse means something', async () => {
    const { error } = await render('flowchart TB\n  s0("unclosed --> s1');
    expect(error).toMatch(/Parse error/);
  }, 60_000);
});
