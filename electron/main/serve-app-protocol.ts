import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { protocol } from 'electron';
import { contentSecurityPolicy, newStyleNonce, withStyleNonce } from '../node/serve/content-security-policy';
import { appScheme } from './app-origin';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Must run before the app is ready: a standard, secure scheme gets an origin, so CSP 'self' and fetch work. */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer under app://airspray/ with the CSP (and its own style nonce) on every response. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    const pathname = decodeURIComponent(new URL(request.url).pathname);
    const relative = normalize(pathname === '/' ? 'index.html' : pathname.slice(1));
    const filePath = join(rendererDir, relative);
    if (relative.startsWith('..') || !filePath.startsWith(rendererDir + sep))
      return new Response(null, { status: 404 });
    try {
      const styleNonce = newStyleNonce();
      const file = await readFile(filePath);
      // Pages carry this response's style nonce; every other file goes out as it is.
      const body = extname(filePath) === '.html' ? withStyleNonce(file, styleNonce) : file;
      // A copy typed over a plain ArrayBuffer, as BodyInit wants.
      return new Response(new Uint8Array(body), {
        headers: {
          'Content-Type': contentTypes[extname(filePath)] ?? 'application/octet-stream',
          'Content-Security-Policy': contentSecurityPolicy(styleNonce),
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}
