import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';

/** The console's screenshots, as the README embeds them. */
export const SCREENSHOTS = {
  desktop: { file: 'console-1280x800.png', viewport: { width: 1280, height: 800 } },
  phone: { file: 'console-phone.png', viewport: { width: 390, height: 844 } },
} as const;

/** Options of {@link takeScreenshots}. */
export interface ScreenshotOptions {
  /**
   * The order to start from the page.
   * @default '1234'
   */
  readonly orderId?: string;
  /**
   * A browser to open the pages in (left open); a headless Chromium of its own when omitted.
   * @default a new one, closed at the end
   */
  readonly browser?: Browser;
}

/** How long the page may take to reach a state, in ms: generous, for a busy 2-core machine. */
const WAIT_MS = 30_000;

/** Waits until the page drew the graph and its event stream is live. */
export async function waitForConsole(page: Page): Promise<void> {
  await page.locator('#graph g.node[data-state]').first().waitFor({ timeout: WAIT_MS });
  await page.locator('#connection[data-state="live"]').waitFor({ timeout: WAIT_MS });
}

/**
 * Opens the console in a headless Chromium, starts `orderId` from the form as a user would, waits
 * for it to be paid, and saves a screenshot at 1280×800 and one at phone width (390×844, scrolled to the alarm strip and the graph).
 *
 * @returns the files written
 */
export async function takeScreenshots(url: string, dir: string, options: ScreenshotOptions = {}): Promise<string[]> {
  const orderId = options.orderId ?? '1234';
  fs.mkdirSync(dir, { recursive: true });
  const browser = options.browser ?? (await launchChromium());
  const pages: Page[] = [];
  try {
    const desktop = await browser.newPage({ viewport: SCREENSHOTS.desktop.viewport, reducedMotion: 'reduce' });
    pages.push(desktop);
    await desktop.goto(url);
    await waitForConsole(desktop);
    await desktop.fill('#order-id', orderId);
    await desktop.fill('#step-delay', '100');
    await desktop.click('#start-button');
    await desktop
      .locator(`#orders tr[data-order-id="${orderId}"] .status-cell[data-status="paid"]`)
      .waitFor({ timeout: WAIT_MS });
    await desktop
      .locator('#executions tr[aria-current="true"] .status-cell[data-status="SUCCEEDED"]')
      .waitFor({ timeout: WAIT_MS });
    await desktop.locator('#history li[data-type="ExecutionSucceeded"]').waitFor({ timeout: WAIT_MS });
    // Show one state's input, as a user looking at the history would.
    await desktop.locator('#history li[data-type="StateExited"] summary').first().click();
    await desktop.mouse.move(0, 0);
    await desktop.evaluate('window.scrollTo(0, 0)');
    const files = [path.join(dir, SCREENSHOTS.desktop.file), path.join(dir, SCREENSHOTS.phone.file)];
    await desktop.screenshot({ path: files[0] });

    const phone = await browser.newPage({
      viewport: SCREENSHOTS.phone.viewport,
      isMobile: true,
      hasTouch: true,
      reducedMotion: 'reduce',
    });
    pages.push(phone);
    await phone.goto(url);
    await waitForConsole(phone);
    await phone.locator('#history li[data-type="ExecutionSucceeded"]').waitFor({ timeout: WAIT_MS });
    // The alarm strip and the graph, the part a phone shows after the form.
    await phone.evaluate("document.querySelector('.alarms').scrollIntoView()");
    await phone.screenshot({ path: files[1] });
    return files;
  } finally {
    if (options.browser === undefined) await browser.close();
    else await Promise.all(pages.map((page) => page.close()));
  }
}
