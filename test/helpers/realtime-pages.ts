// Pages that speak a broadcast's realtime channel, opened in Chromium for the e2e tests: a resident's
// watch page (a context of its own, so a device of its own), and staff pages in a context logged in
// through the API (the session cookie then rides on the page's WebSocket, as after the console's login).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD, type TestApp } from './app.ts';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface OpenPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught errors the page raised, for the test to check at its end. */
  errors: string[];
  /** Messages of alert() and the like the page opened (dismissed at once). */
  dialogs: string[];
}

const ACTION_TIMEOUT = 15_000;

async function open(t: Teardown, browser: Browser, options: { camera?: string } = {}): Promise<OpenPage> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  t.teardown(() => context.close());
  if (options.camera) await context.grantPermissions(['camera', 'microphone'], { origin: options.camera });
  const page = await context.newPage();
  page.setDefaultTimeout(ACTION_TIMEOUT);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { page, context, errors, dialogs };
}

/** A resident (a device of her own) on `url`, a watch page. */
export async function residentPage(t: Teardown, browser: Browser, url: string): Promise<OpenPage> {
  const opened = await open(t, browser);
  await opened.page.goto(url);
  return opened;
}

/** A staff member logged in as `username` on `url` (a console or studio page; the studio needs a browser with fake media). */
export async function staffPage(t: Teardown, browser: Browser, ctx: TestApp, username: string, url: string): Promise<OpenPage> {
  const opened = await open(t, browser, { camera: ctx.url });
  const login = await opened.context.request.post(`${ctx.url}/api/auth/login`, { data: { username, password: TEST_PASSWORD } });
  if (!login.ok()) throw new Error(`login as ${username}: ${login.status()} ${await login.text()}`);
  await opened.page.goto(url);
  return opened;
}

/** Text set by page scripts ran as script: what an injected `onerror=window.__pwned=…` would have set. */
export const pwned = (page: Page): Promise<unknown> => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
