import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.AIRSPRAY_CHROMIUM ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the background services off: this machine has no network beyond loopback. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
