import { randomBytes } from 'node:crypto';

/** Stands in index.html (`<meta property="csp-nonce" nonce="…">`) for the nonce each response gets. */
export const styleNoncePlaceholder = 'AIRSPRAY_STYLE_NONCE';

/**
 * One CSP for both shells: only the app's own scripts, styles and API connection; no eval, no frames, no plugins.
 * <style> elements only with this response's nonce: xterm writes its cell and theme rules into <style> elements
 * (it has no other way), and the renderer gives them the nonce; nothing injected can guess it.
 */
export function contentSecurityPolicy(styleNonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${styleNonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A fresh nonce per response: 128 random bits. */
export const newStyleNonce = (): string => randomBytes(16).toString('base64');

/** index.html with this response's nonce where the build left the placeholder. */
export const withStyleNonce = (html: Buffer, styleNonce: string): Buffer =>
  Buffer.from(html.toString('utf8').replaceAll(styleNoncePlaceholder, styleNonce));
