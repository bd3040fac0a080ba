import { memo } from 'react';
import { useT } from '../kioskContext';

const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl@', 'zxcvbnm.-_'];

/**
 * A touch keyboard that edits one value through an updater, so it never needs the value
 * itself and does not re-render on every keystroke; the physical keyboard keeps working too.
 */
export const OnScreenKeyboard = memo(function OnScreenKeyboard({ onChange, maxLength = 200 }: { onChange: (update: (previous: string) => string) => void; maxLength?: number }) {
  const t = useT();
  const press = (key: string) => onChange((previous) => (previous + key).slice(0, maxLength));
  return (
    <div className="keyboard" role="group" aria-label={t('keyboard.label')} dir="ltr">
      {ROWS.map((row) => (
        <div className="keyboard-row" key={row}>
          {[...row].map((key) => (
            <button type="button" className="key" key={key} onClick={() => press(key)} aria-label={key}>
              {key}
            </button>
          ))}
        </div>
      ))}
      <div className="keyboard-row">
        <button type="button" className="key key-wide" onClick={() => press(' ')}>
          {t('keyboard.space')}
        </button>
        <button type="button" className="key key-wide" onClick={() => onChange((previous) => previous.slice(0, -1))}>
          {t('keyboard.delete')}
        </button>
        <button type="button" className="key key-wide" onClick={() => onChange(() => '')}>
          {t('keyboard.clear')}
        </button>
      </div>
    </div>
  );
});
