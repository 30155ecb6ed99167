import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../store/store-context';
import { formatDateTime } from '../ui/format-date-time';
import { CheckIcon, ChevronDownIcon } from '../ui/icons';
import { NewProjectForm } from './new-project-form';

const panelId = 'project-picker-panel';

function formatSaved(iso: string): string {
  const when = formatDateTime(iso, '');
  return when ? `Saved ${when}` : '';
}

/** Header control: the open project's name, and a panel listing projects with a form for a new one. */
export function ProjectPicker() {
  const { open, current, projects, status, listError, openingId, openError } = useAirspray(
    useShallow((state) => ({
      open: state.projectPickerOpen,
      current: state.currentProject,
      projects: state.projects,
      status: state.projectsStatus,
      listError: state.projectsError,
      openingId: state.openingProjectId,
      openError: state.openProjectError,
    })),
  );
  const setOpen = useAirspray((state) => state.setProjectPickerOpen);
  const openProject = useAirspray((state) => state.openProject);
  const containerRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const recentFirst = useMemo(
    () => [...projects].sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt)),
    [projects],
  );

  useEffect(() => {
    if (!open) return;
    // Focus lands on the open project, else the first project, else the name input.
    const panel = panelRef.current;
    const target = ['[aria-current="true"]', '.project-list button', 'input']
      .map((selector) => panel?.querySelector<HTMLElement>(selector))
      .find(Boolean);
    target?.focus();
    const closeOnOutsidePointer = (event: PointerEvent) => {
      if (!containerRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOnOutsidePointer);
    const trigger = triggerRef.current;
    return () => {
      document.removeEventListener('pointerdown', closeOnOutsidePointer);
      // Opening or creating a project removes the focused button with the panel; keep keyboard users in place.
      if (document.activeElement === document.body) trigger?.focus();
    };
  }, [open, setOpen]);

  function closeOnEscape(event: KeyboardEvent) {
    if (event.key !== 'Escape' || !open) return;
    event.stopPropagation();
    setOpen(false);
    triggerRef.current?.focus();
  }

  return (
    <div
      className="project-picker"
      ref={containerRef}
      onKeyDown={closeOnEscape}
      onBlur={(event) => {
        // Tabbing out closes the panel; a click on its empty space (no new focus target) does not.
        if (event.relatedTarget && !event.currentTarget.contains(event.relatedTarget)) setOpen(false);
      }}
    >
      <button
        ref={triggerRef}
        type="button"
        className="project-picker__trigger"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        <span className="project-picker__caption">Project</span>{' '}
        <span className={current ? 'project-picker__name' : 'project-picker__name muted'}>
          {current?.name ?? 'None open'}
        </span>
        <ChevronDownIcon />
      </button>
      {open && (
        <div ref={panelRef} id={panelId} className="project-picker__panel" role="dialog" aria-label="Projects">
          <h2 className="project-picker__title">Projects</h2>
          {listError && (
            <p className="field-error" role="alert">
              The project list could not be loaded: {listError}
            </p>
          )}
          {status === 'loading' && projects.length === 0 && <p className="muted small">Loading projects…</p>}
          {status === 'loaded' && projects.length === 0 && (
            <p className="muted small">No projects yet. Each project holds the plan for one cluster.</p>
          )}
          {recentFirst.length > 0 && (
            <ul className="project-list" aria-label="Projects">
              {recentFirst.map((project) => {
                const isCurrent = project.id === current?.id;
                return (
                  <li key={project.id}>
                    <button
                      type="button"
                      className="project-list__item"
                      aria-current={isCurrent ? 'true' : undefined}
                      aria-busy={openingId === project.id ? true : undefined}
                      onClick={() => void openProject(project.id)}
                    >
                      <span className="project-list__check">{isCurrent && <CheckIcon />}</span>
                      <span className="project-list__name">{project.name}</span>
                      <span className="project-list__meta">{formatSaved(project.updatedAt)}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          {openError && (
            <p className="field-error" role="alert">
              The project could not be opened: {openError}
            </p>
          )}
          <NewProjectForm variant="panel" />
        </div>
      )}
    </div>
  );
}
