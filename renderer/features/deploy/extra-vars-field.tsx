import { TextAreaField } from '../../ui/text-field';

/** Extra variables for a run, KEY=VALUE lines (parsed by parseExtraVars). Deploy's cluster.yml and Operate's Custom. */
export function ExtraVarsField({
  value,
  error,
  onChange,
}: {
  value: string;
  error: string | null;
  onChange(value: string): void;
}) {
  return (
    <TextAreaField
      className="extra-vars-field"
      inputClassName="input run-extra-vars"
      label="Extra variables"
      value={value}
      placeholder="KEY=VALUE, one per line"
      error={error}
      hint={error ? undefined : 'Values that read as JSON keep their type: x=false is the boolean.'}
      onChange={onChange}
    />
  );
}
