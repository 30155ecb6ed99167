import { useIntl } from 'react-intl';
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
  const intl = useIntl();
  return (
    <TextAreaField
      className="extra-vars-field"
      inputClassName="input run-extra-vars"
      label={intl.formatMessage({ id: 'deploy.extraVars.label' })}
      value={value}
      placeholder={intl.formatMessage({ id: 'deploy.extraVars.placeholder' })}
      error={error}
      hint={error ? undefined : intl.formatMessage({ id: 'deploy.extraVars.hint' })}
      onChange={onChange}
    />
  );
}
