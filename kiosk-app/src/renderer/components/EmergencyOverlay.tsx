import { useEffect, useRef } from 'react';
import type { UrgentMessage } from '@atrium/contracts';
import { useKiosk, useT } from '../kioskContext';

/** An emergency broadcast: covers every screen until ops clear it. */
export function EmergencyOverlay({ message }: { message: Extract<UrgentMessage, { kind: 'emergency' }> }) {
  const { state } = useKiosk();
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [message.id]);
  const text = message.message[state.language] ?? message.message['en'] ?? Object.values(message.message)[0] ?? '';
  return (
    <div className="emergency" role="alertdialog" aria-modal="true" aria-labelledby="emergency-title" aria-describedby="emergency-text" tabIndex={-1} ref={ref} data-testid="emergency">
      <h1 id="emergency-title">{t('emergency.title')}</h1>
      <p id="emergency-text" data-testid="emergency-text">
        {text}
      </p>
    </div>
  );
}
