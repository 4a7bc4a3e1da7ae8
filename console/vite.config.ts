import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/** Where `vite dev` sends API calls: a `trellis serve` on its default port unless TRELLIS_DEV_API says. */
const api = process.env.TRELLIS_DEV_API ?? 'http://localhost:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No inlined module-preload polyfill script: the console's CSP allows no inline script.
    modulePreload: { polyfill: false },
  },
  server: { proxy: { '/v1': api, '/auth': api } },
});
