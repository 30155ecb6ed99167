import { useId } from 'react';

/** Extra variables for a run, KEY=VALUE lines (parsed by parseExtraVars). Deploy's cluster.yml and Operate's Custom. */
export function ExtraVarsField({ value, error, onChange }: { value: string; error: string | null; onChange(value: string): void }) {
  const id = useId();
  return (
    <div className="extra-vars-field">
      <label className="field-label" htmlFor={id}>
        Extra variables
      </label>
      <textarea
        id={id}
        className="input run-extra-vars"
        rows={3}
        value={value}
        spellCheck={false}
        placeholder="KEY=VALUE, one per line"
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error ? <p className="field-error">{error}</p> : <p className="field-hint">Values that read as JSON keep their type: x=false is the boolean.</p>}
    </div>
  );
}
