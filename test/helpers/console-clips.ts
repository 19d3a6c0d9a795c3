// The console's 视频 page driven in Chromium: a temporary folder for the recordings, an upload through
// the page's file input, the upload bar's percent, and Chromium's upload speed held down over CDP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export function tempDir(t: { teardown(fn: () => unknown): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'linbo-console-clips-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Chromium sends request bodies no faster than this (DevTools network emulation), so an upload on
 * loopback lasts long enough to pause; null lifts the limit.
 */
export async function throttleUploads(page: Page, bytesPerSecond: number | null): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond ?? -1 });
}

export async function startUpload(page: Page, file: string, title: string): Promise<void> {
  const card = page.locator('.upload-card');
  await card.getByLabel('视频文件').setInputFiles(file);
  await card.getByLabel('标题').fill(title);
  await card.getByRole('button', { name: '开始上传' }).click();
  await card.locator('.upload-panel').waitFor();
}

export const panelPercent = async (page: Page) => Number(await page.locator('.upload-panel').getAttribute('data-percent'));

/** Every percent the upload bar shows from now on, as the page drew it. */
export async function recordPercents(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { percents: number[] };
    w.percents = [];
    const panel = document.querySelector('.upload-panel')!;
    new MutationObserver(() => w.percents.push(Number(panel.getAttribute('data-percent')))).observe(panel, { attributes: true, attributeFilter: ['data-percent'] });
  });
  return () => page.evaluate(() => (window as unknown as { percents: number[] }).percents);
}

export const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= 360);

