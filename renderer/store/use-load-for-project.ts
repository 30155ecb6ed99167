import { useEffect } from 'react';
import { useAirspray } from './store-context';

/** Calls `load` when a project is open, and again whenever another one is opened. */
export function useLoadForProject(load: () => Promise<unknown>): void {
  const projectId = useAirspray((state) => state.currentProject?.id);
  useEffect(() => {
    if (projectId) void load();
  }, [projectId, load]);
}
