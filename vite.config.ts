import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { woff2OnlyPlugin } from './build/woff2-only-plugin';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  // Relative asset URLs work both under app:// (desktop) and http://127.0.0.1 (browser mode).
  base: './',
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // es2021: class static blocks (formatjs uses them) are lowered, so Electronegativity's parser can read the bundle.
    target: 'es2021',
    sourcemap: false,
    // Fonts stay files: the CSP's font-src is 'self', so a font inlined as a data: URL would be refused.
    assetsInlineLimit: (file) => (file.endsWith('.woff2') ? false : undefined),
  },
  plugins: [woff2OnlyPlugin],
  oxc: { jsx: { runtime: 'automatic' } },
});
