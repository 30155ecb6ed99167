import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../store/store-context';
import { formatDateTime } from '../ui/format-date-time';
import { CheckIcon, ChevronDownIcon } from '../ui/icons';
import { NewProjectForm } from './new-project-form';
import { Note } from '../ui/note';

const panelId = 'project-picker-panel';

function SavedAt({ iso }: { iso: string }) {
  const intl = useIntl();
  const when = formatDateTime(iso, intl.locale, '');
  return when ? <FormattedMessage id="frame.projects.savedAt" values={{ when }} /> : null;
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
  const intl = useIntl();
  const projectsLabel = intl.formatMessage({ id: 'frame.projects.title' });
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
        <span className="project-picker__caption">
          <FormattedMessage id="frame.projects.caption" />
        </span>{' '}
        <span className={current ? 'project-picker__name' : 'project-picker__name muted'}>
          {current?.name ?? <FormattedMessage id="frame.projects.noneOpen" />}
        </span>
        <ChevronDownIcon />
      </button>
      {open && (
        <div ref={panelRef} id={panelId} className="project-picker__panel" role="dialog" aria-label={projectsLabel}>
          <h2 className="project-picker__title">{projectsLabel}</h2>
          {listError && (
            <p className="field-error" role="alert">
              <FormattedMessage id="frame.projects.listFailed" values={{ reason: listError }} />
            </p>
          )}
          {status === 'loading' && projects.length === 0 && <Note id="frame.projects.loading" small />}
          {status === 'loaded' && projects.length === 0 && <Note id="frame.projects.none" small />}
          {recentFirst.length > 0 && (
            <ul className="project-list" aria-label={projectsLabel}>
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
                      <span className="project-list__meta">
                        <SavedAt iso={project.updatedAt} />
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          {openError && (
            <p className="field-error" role="alert">
              <FormattedMessage id="frame.projects.openFailed" values={{ reason: openError }} />
            </p>
          )}
          <NewProjectForm variant="panel" />
        </div>
      )}
    </div>
  );
}
