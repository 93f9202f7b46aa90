import { defineConfig } from 'vitest/config';

// React without @vitejs/plugin-react: esbuild's automatic JSX runtime is all the build
// needs (no Fast Refresh in `npm run dev`, a full reload instead). `npm run dev` serves
// the app on :5173 and forwards /api to a `hearth serve` on :3000.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  server: { proxy: { '/api': 'http://localhost:3000' } },
  build: { target: 'es2022', sourcemap: false, reportCompressedSize: false },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
