import * as fs from 'node:fs';
import type { Browser } from 'playwright-core';

/**
 * Where Chromium is looked for: Debian's `chromium` package first, then the names Ubuntu and
 * Google's packages use (GitHub's Ubuntu runners have Google Chrome). `CHROMIUM_PATH` overrides them.
 */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
] as const;

/** The browser binary: `CHROMIUM_PATH`, else the first of {@link CHROMIUM_CANDIDATES} that exists. */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH)
    return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  return CHROMIUM_CANDIDATES.find((candidate) => fs.existsSync(candidate));
}

/**
 * Flags for Chromium on a machine without a network or a GPU: no sandbox (CI runs as root), and
 * none of the background connections (updates, sync, field trials) that a closed network refuses.
 * playwright-core adds `--headless` and a fresh temporary `--user-data-dir` itself.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** Chromium is not installed where it is looked for. */
export class BrowserNotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserNotFound';
  }
}

/**
 * Launches the system Chromium headless with playwright-core (a dev dependency: only the
 * screenshots and the browser tests need it, never `npm run console` itself).
 *
 * @throws BrowserNotFound naming the path and how to install it
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) {
    const looked = process.env.CHROMIUM_PATH
      ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH}`
      : CHROMIUM_CANDIDATES.join(', ');
    throw new BrowserNotFound(
      `No Chromium found (looked at ${looked}). Install Debian's package with sudo apt-get install -y chromium ` +
        '(.ci/run does it in CI), or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS], timeout: 60_000 });
}
