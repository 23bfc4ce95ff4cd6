import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import './i18n/index.ts';
import './styles.css';
import { AppRoutes } from './routes.tsx';
import { AnnouncerProvider } from './components/announcer.tsx';
import { SessionProvider } from './features/auth/session.tsx';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <BrowserRouter>
        <AnnouncerProvider>
          <SessionProvider>
            <AppRoutes />
          </SessionProvider>
        </AnnouncerProvider>
      </BrowserRouter>
    </StrictMode>,
  );
}
