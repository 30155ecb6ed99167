/** The desktop renderer is served from this custom origin, never file://, so CSP and origin checks mean something. */
export const appScheme = 'app';
export const appHost = 'airspray';
export const appOrigin = `${appScheme}://${appHost}`;

/** True only for URLs of the app's own origin; the IPC sender check and navigation lock both use it. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === appHost;
  } catch {
    return false;
  }
}
