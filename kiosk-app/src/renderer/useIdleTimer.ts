import { useEffect, useRef } from 'react';

const ACTIVITY = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart', 'scroll'] as const;

/** Calls `onIdle` once after `timeoutMs` without a touch or key, while `active`. */
export function useIdleTimer(active: boolean, timeoutMs: number, onIdle: () => void): void {
  const callback = useRef(onIdle);
  callback.current = onIdle;
  useEffect(() => {
    if (!active) return;
    let timer = window.setTimeout(() => callback.current(), timeoutMs);
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => callback.current(), timeoutMs);
    };
    for (const type of ACTIVITY) document.addEventListener(type, reset, { capture: true, passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const type of ACTIVITY) document.removeEventListener(type, reset, { capture: true });
    };
  }, [active, timeoutMs]);
}
