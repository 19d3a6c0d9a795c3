// Debian packages Linbo needs, by purpose. setup.mjs installs whatever is missing through apt-get.
export const APT_PACKAGES = {
  // Chinese glyphs on e-posters: sharp's bundled fontconfig finds Noto CJK under /usr/share/fonts.
  fonts: ['fonts-noto-cjk'],
  // Headless browser for the end-to-end tests (playwright-core drives Debian's chromium; no browser download).
  browser: ['chromium'],
};

export function packagesFor(purposes) {
  return [...new Set(purposes.flatMap((p) => APT_PACKAGES[p]))];
}
