import { defineConfig } from 'vite';

// `vite build console`: the console's files go to dist/console, which the server serves at /console.
export default defineConfig({
  base: '/console/',
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    // Nothing inline: the server's Content-Security-Policy allows only the console's own files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // Mantine marks its modules "use client" for React Server Components; meaningless in a bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  // `npm run console:dev`: a dev server beside `npm start`, the API proxied to it.
  server: {
    proxy: Object.fromEntries(
      ['/whoami', '/stats', '/secrets', '/sync-jobs', '/hosts', '/databases', '/tokens', '/audit', '/watch', '/readyz'].map((path) => [path, 'http://127.0.0.1:3000']),
    ),
  },
});
