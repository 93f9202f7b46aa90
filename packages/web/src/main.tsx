import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { interceptLinks } from './app/router.tsx';
import './app/styles.css';

interceptLinks();
const root = document.getElementById('root')!;
// A server-rendered page (public threads) sits in #root until the app replaces it.
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
