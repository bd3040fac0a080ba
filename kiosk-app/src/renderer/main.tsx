import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { resolveBridge } from './httpBridge';
import './styles.css';

async function boot(): Promise<void> {
  const bridge = resolveBridge();
  const root = document.getElementById('root') as HTMLElement;
  // The backend may still be opening its store right after a restart: ask until it answers.
  for (let attempt = 0; ; attempt++) {
    const info = await bridge.kioskInfo({});
    if (info.ok) {
      createRoot(root).render(
        <StrictMode>
          <App bridge={bridge} info={info.value} />
        </StrictMode>,
      );
      return;
    }
    await new Promise((resolve) => window.setTimeout(resolve, Math.min(2000, 100 * 2 ** attempt)));
  }
}

void boot();
