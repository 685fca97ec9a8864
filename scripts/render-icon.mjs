// Renders docs/icon.svg to docs/icon.png (128×128, the size the Marketplace and the Extensions view
// use) with Debian's Chromium through playwright-core. Run after editing the SVG; the PNG is
// committed so packaging needs no browser.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');
const svg = readFileSync(join(docs, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(docs, 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
