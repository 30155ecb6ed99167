import { useId, type HTMLAttributes } from 'react';

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint: string;
  /** Shown under the field as an alert, and marks the field invalid. */
  error: string | null;
  className: string;
  placeholder?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
}

/** A labelled monospace text input with its hint and, when the API refused it, the reason next to it. */
export function TextField({ label, value, onChange, hint, error, className, placeholder, inputMode }: TextFieldProps) {
  const ids = { input: useId(), hint: useId(), error: useId() };
  return (
    <div className={className}>
      <label htmlFor={ids.input} className="field-label">
        {label}
      </label>
      <input
        id={ids.input}
        className="input input--mono"
        value={value}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        inputMode={inputMode}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${ids.error} ${ids.hint}` : ids.hint}
        onChange={(event) => onChange(event.target.value)}
      />
      {error && (
        <p id={ids.error} className="field-error" role="alert">
          {error}
        </p>
      )}
      <p id={ids.hint} className="field-hint">
        {hint}
      </p>
    </div>
  );
}
