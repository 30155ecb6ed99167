import type { Plugin } from 'vite';

// Fontsource's @font-face rules name a .woff beside each .woff2. Chromium (Electron, the browsers `serve` targets)
// always takes the woff2, so the woff copies would only add about 4.7 MB per weight to dist, never loaded.
const woffSource = /,\s*url\([^)]*\.woff\)\s*format\(['"]woff['"]\)/g;

export const woff2OnlyPlugin: Plugin = {
  name: 'woff2-only',
  enforce: 'pre',
  transform(code: string, id: string) {
    if (!/[\\/]@fontsource[\\/].*\.css$/.test(id)) return null;
    return { code: code.replace(woffSource, ''), map: null };
  },
};
