// Debian's Chromium driven by playwright-core (no browser download: this machine reaches no CDN).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * A headless Chromium closed when the test ends (`fakeMedia`: with a synthetic camera and microphone).
 * Register it after startApp so, with tap running teardowns in order, a browser never outlives the
 * server it talks to by more than its close.
 */
export async function launchBrowser(t: Teardown, options: { fakeMedia?: boolean } = {}): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      // A synthetic camera (30 fps; its default is 20) and microphone, granted without a prompt.
      ...(options.fakeMedia ? ['--use-fake-device-for-media-stream=fps=30', '--use-fake-ui-for-media-stream'] : []),
    ],
  });
  t.teardown(async () => {
    // A wedged Chromium must not hold the test file until tap's timeout.
    await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 5000).unref())]);
  });
  return browser;
}

/** A phone-sized page (360 px wide, like the cheap Android phones residents use). */
export async function phonePage(browser: Browser, options: { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  return { context, page };
}
