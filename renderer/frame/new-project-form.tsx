import { useId, useState, type FormEvent } from 'react';
import { FormattedMessage } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../store/store-context';
import { PlusIcon } from '../ui/icons';

/**
 * Creates a project from a cluster name; the API's validation message shows under the input.
 * 'panel' sits in the project picker, 'inline' in the content area while no project is open.
 */
export function NewProjectForm({ variant }: { variant: 'panel' | 'inline' }) {
  const [name, setName] = useState('');
  const { creating, error } = useAirspray(
    useShallow((state) => ({ creating: state.creatingProject, error: state.createProjectError })),
  );
  const createProject = useAirspray((state) => state.createProject);
  const clearCreateProjectError = useAirspray((state) => state.clearCreateProjectError);
  const ids = { title: useId(), input: useId(), hint: useId(), error: useId() };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (await createProject(name)) setName('');
  }

  return (
    <form
      className={`new-project new-project--${variant}`}
      aria-labelledby={ids.title}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id={ids.title} className={variant === 'panel' ? 'new-project__title' : 'visually-hidden'}>
        <FormattedMessage id="frame.newProject.title" />
      </h3>
      <label htmlFor={ids.input} className="field-label">
        <FormattedMessage id="frame.newProject.name" />
      </label>
      <div className="new-project__row">
        <input
          id={ids.input}
          className="input"
          name="name"
          value={name}
          autoComplete="off"
          spellCheck={false}
          placeholder="prod-dc1"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${ids.error} ${ids.hint}` : ids.hint}
          onChange={(event) => {
            setName(event.target.value);
            if (error) clearCreateProjectError();
          }}
        />
        <button type="submit" className="btn btn--primary" disabled={creating}>
          <PlusIcon />
          <FormattedMessage id="frame.newProject.create" />
        </button>
      </div>
      {error && (
        <p id={ids.error} className="field-error" role="alert">
          {error.message}
        </p>
      )}
      <p id={ids.hint} className="field-hint">
        <FormattedMessage id="frame.newProject.hint" />
      </p>
    </form>
  );
}
