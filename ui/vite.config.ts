/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Tauri serves ui/dist through its own protocol under a strict CSP
// (script-src 'self'): everything must be a same-origin file, nothing inline.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  // Relative URLs so the bundle works from tauri://localhost and from file paths.
  base: './',
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
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
