import { useT } from '../kioskContext';

const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl@', 'zxcvbnm.-_'];

/** A touch keyboard that edits one value; the physical keyboard keeps working too. */
export function OnScreenKeyboard({ value, onChange, maxLength = 200 }: { value: string; onChange: (next: string) => void; maxLength?: number }) {
  const t = useT();
  const press = (key: string) => onChange((value + key).slice(0, maxLength));
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
        <button type="button" className="key key-wide" onClick={() => onChange(value.slice(0, -1))}>
          {t('keyboard.delete')}
        </button>
        <button type="button" className="key key-wide" onClick={() => onChange('')}>
          {t('keyboard.clear')}
        </button>
      </div>
    </div>
  );
}
