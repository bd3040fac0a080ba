import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// Builds the shopper UI (kiosk-app/index.html + src/renderer) into kiosk-app/dist/renderer (the
// packaged layout, kiosk-app/src/main/kioskBundleLayout.ts), which the browser shell and Electron
// main serve. Relative base: the page is served from the shell's root.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: { outDir: 'dist/renderer', emptyOutDir: true, target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 1024 },
  logLevel: 'warn',
});
