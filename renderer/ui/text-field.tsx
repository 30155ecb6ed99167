import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
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

type FieldFrameProps = Omit<FieldProps, 'children'>;

type InputFieldProps = FieldFrameProps &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className' | 'value' | 'onChange'> & {
    value: string | number;
    onChange: (value: string) => void;
    /** The input's own classes. */
    inputClassName?: string;
  };

/** A labelled input; `onChange` gets the text typed, the other props go to the input. */
export function InputField({
  label,
  hint,
  error,
  className,
  value,
  onChange,
  inputClassName = 'input',
  ...attributes
}: InputFieldProps) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(input) => (
        <input
          {...attributes}
          {...input}
          className={inputClassName}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

type SelectFieldProps<T extends string> = FieldFrameProps & {
  value: T;
  onChange: (value: T) => void;
  /** The `<option>`s; their values are the only ones `onChange` can get. */
  children: ReactNode;
};

/** A labelled select whose options are its children. */
export function SelectField<T extends string>({ value, onChange, children, ...field }: SelectFieldProps<T>) {
  return (
    <Field {...field}>
      {(input) => (
        <select {...input} className="input" value={value} onChange={(event) => onChange(event.target.value as T)}>
          {children}
        </select>
      )}
    </Field>
  );
}

/** One `<option>` per value, shown as is. */
export function Options({ values }: { values: readonly string[] }) {
  return values.map((value) => (
    <option key={value} value={value}>
      {value}
    </option>
  ));
}

/** A labelled monospace text input, spell checking and autocomplete off, with its hint and error. */
export function TextField(props: InputFieldProps & { hint: string; error: string | null }) {
  return <InputField {...props} inputClassName="input input--mono" autoComplete="off" spellCheck={false} />;
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
