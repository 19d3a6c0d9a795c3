// A finger swiping up a phone page: real touch events through the DevTools protocol (touchstart, a
// move every frame, touchend), so the page's own scrolling and scroll-snap handle it as on a phone.
// Chromium's synthetic scroll gesture with a touch source does not scroll in headless mode here.
import type { Page } from 'playwright-core';

export async function swipeUp(page: Page, options: { x?: number; from?: number; to?: number } = {}): Promise<void> {
  const { x = 180, from = 650, to = 150 } = options;
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: from }] });
    for (let y = from - 40; y >= to; y -= 40) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
      // A finger's pace, one move per frame: input pacing, not a wait for something to happen
      // (the page's rAF cannot be awaited here: it is held while the touch is in progress).
      await new Promise((r) => setTimeout(r, 16));
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  } finally {
    await cdp.detach();
  }
}
