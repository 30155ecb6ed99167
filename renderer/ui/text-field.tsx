import { useId, type HTMLAttributes, type ReactNode } from 'react';
import { ErrorText } from './error-text';

/** What a field hands its input: the id its label points at, and the error and hint tied to it. */
export interface FieldInputProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

interface FieldProps {
  label: string;
  hint?: string | undefined;
  /** Shown under the input as an alert, and marks the input invalid. */
  error?: string | null | undefined;
  className?: string | undefined;
  children: (input: FieldInputProps) => ReactNode;
}

/** A labelled input (whatever `children` renders) with its error (role=alert) and hint tied to it. */
export function Field({ label, hint, error, className, children }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ');
  return (
    <div className={className}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children({
        id,
        ...(error ? { 'aria-invalid': true } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      <ErrorText message={error} id={errorId} />
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint: string;
  error: string | null;
  className: string;
  placeholder?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
}

/** A labelled monospace text input with its hint and, when the API refused it, the reason next to it. */
export function TextField({ value, onChange, placeholder, inputMode, ...field }: TextFieldProps) {
  return (
    <Field {...field}>
      {(input) => (
        <input
          {...input}
          className="input input--mono"
          value={value}
          autoComplete="off"
          spellCheck={false}
          placeholder={placeholder}
          inputMode={inputMode}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

interface TextAreaFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string | undefined;
  error: string | null;
  className?: string;
  /** The textarea's own classes. */
  inputClassName: string;
  placeholder: string;
}

/** A labelled textarea of three rows, spell checking off, with its hint and error. */
export function TextAreaField({ value, onChange, placeholder, inputClassName, ...field }: TextAreaFieldProps) {
  return (
    <Field {...field}>
      {(input) => (
        <textarea
          {...input}
          className={inputClassName}
          rows={3}
          value={value}
          spellCheck={false}
          placeholder={placeholder}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
