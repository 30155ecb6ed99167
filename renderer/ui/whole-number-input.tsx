import type { FieldInputProps } from './text-field';

interface WholeNumberInputProps extends FieldInputProps {
  min: number;
  max: number;
  value: number | undefined;
  /** Taken for text that is not a number; for an emptied field too unless `optional`. */
  fallback: number;
  /** An emptied field is undefined (the setting's default), shown as the placeholder. */
  optional?: boolean;
  placeholder?: string;
  onChange: (value: number | undefined) => void;
}

/** A whole number kept within min..max as it is typed, so the saved setting is always one the schema takes. */
export function WholeNumberInput({ min, max, value, fallback, optional, onChange, ...input }: WholeNumberInputProps) {
  return (
    <input
      {...input}
      className="input"
      type="number"
      min={min}
      max={max}
      value={value ?? ''}
      onChange={(event) => {
        const text = event.target.value;
        if (optional && text === '') return onChange(undefined);
        onChange(Math.min(max, Math.max(min, Math.round(Number(text)) || fallback)));
      }}
    />
  );
}
