import { useEffect, useState } from 'react';
import type { Diagnostics, TechnicianStatus } from '../../bridge';
import { useKiosk, useT } from '../kioskContext';

/** The technician's panel, behind a PIN: identity, links, queues, and two actions. */
export function TechnicianOverlay({ onClose }: { onClose: () => void }) {
  const { bridge } = useKiosk();
  const t = useT();
  const [pin, setPin] = useState('');
  const [token, setToken] = useState<string | null>(null);
  const [status, setStatus] = useState<TechnicianStatus | null>(null);
  const [exported, setExported] = useState<Diagnostics | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return;
    let live = true;
    const refresh = () => void bridge.technicianStatus({ token }).then((r) => live && r.ok && setStatus(r.value));
    refresh();
    const timer = window.setInterval(refresh, 2000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [bridge, token]);

  const unlock = async () => {
    const r = await bridge.technicianUnlock({ pin });
    setPin('');
    if (r.ok) setToken(r.value.token);
    else setError(t('tech.badPin'));
  };
  return (
    <div className="technician" role="dialog" aria-modal="true" aria-labelledby="tech-title" data-testid="technician">
      <h1 id="tech-title">{t('tech.title')}</h1>
      {!token ? (
        <form onSubmit={(e) => (e.preventDefault(), void unlock())}>
          <label className="field">
            <span>{t('tech.pin')}</span>
            <input type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 12))} data-testid="tech-pin" />
          </label>
          <div className="pinpad" dir="ltr">
            {['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'].map((d) => (
              <button type="button" key={d} onClick={() => setPin((p) => (p + d).slice(0, 12))}>
                {d}
              </button>
            ))}
          </div>
          {error && <p role="alert">{error}</p>}
          <button type="submit" className="primary" data-testid="tech-unlock">
            {t('tech.unlock')}
          </button>
        </form>
      ) : (
        status && (
          <>
            <dl className="tech-status" data-testid="tech-status" dir="ltr">
              <dt>Device</dt>
              <dd data-testid="tech-device">{status.deviceId}</dd>
              <dt>Kiosk</dt>
              <dd>{status.kioskId}</dd>
              <dt>Version</dt>
              <dd>{status.version}</dd>
              <dt>VPN</dt>
              <dd>{`${status.vpn.up ? 'up' : 'down'} (${status.vpn.detail})`}</dd>
              <dt>Sync</dt>
              <dd data-testid="tech-sync">{`${status.sync.link}${status.sync.uploading ? ', uploading' : ''}`}</dd>
              <dt>Queue</dt>
              <dd data-testid="tech-queue">{`business ${status.queue.business}, telemetry ${status.queue.telemetry}`}</dd>
              <dt>Acked</dt>
              <dd>{`${status.ackedThrough} / ${status.lastSequence}`}</dd>
              <dt>Last sync</dt>
              <dd data-testid="tech-last-sync">{status.lastSyncAt ?? 'never'}</dd>
              <dt>Last error</dt>
              <dd data-testid="tech-last-error">{status.lastError ?? 'none'}</dd>
            </dl>
            <div className="actions">
              <button type="button" onClick={() => void bridge.technicianSyncNow({ token: token }).then((r) => r.ok && setStatus(r.value))} data-testid="tech-sync-now">
                {t('tech.syncNow')}
              </button>
              <button type="button" onClick={() => void bridge.technicianExportDiagnostics({ token: token }).then((r) => r.ok && setExported(r.value))} data-testid="tech-export">
                {t('tech.export')}
              </button>
            </div>
            {exported && (
              <p role="status" data-testid="tech-exported">
                {`${exported.fileName} (${exported.bytes} bytes)`}
              </p>
            )}
          </>
        )
      )}
      <button type="button" onClick={onClose} data-testid="tech-close">
        {t('tech.close')}
      </button>
    </div>
  );
}
