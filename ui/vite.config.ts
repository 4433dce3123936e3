/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Tauri serves ui/dist through its own protocol under a strict CSP
// (script-src 'self'): everything must be a same-origin file, nothing inline.
// `npm run build && npx vite preview` serves the bundle under the same policy,
// so a violation shows in the browser console before it shows in the app.
const TAURI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: asset: http://asset.localhost; connect-src ipc: http://ipc.localhost";
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  // Relative URLs so the bundle works from tauri://localhost and from file paths.
  base: './',
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  preview: {
    port: 4173,
    strictPort: true,
    headers: { 'Content-Security-Policy': TAURI_CSP },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be bundled anyway; WebKitGTK/WebView2 support modulepreload.
    modulePreload: { polyfill: false },
    // Never inline assets as data: script URLs; small images may be data: (CSP allows img data:).
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  // Svelte must resolve to its browser build when vitest renders components.
  resolve: mode === 'test' ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test-setup.ts'],
    restoreMocks: true,
  },
}));
