import { useEffect } from 'react';
import { useAirspray } from '../store/store-context';

function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea, select') !== null)
  );
}

/** Alt+→ / Alt+← move between steps, except while typing, where those keys move the caret by word. */
export function useWizardShortcuts(): void {
  const goNext = useAirspray((state) => state.goNext);
  const goBack = useAirspray((state) => state.goBack);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || isEditable(event.target)) return;
      if (event.key === 'ArrowRight') goNext();
      else if (event.key === 'ArrowLeft') goBack();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [goNext, goBack]);
}
