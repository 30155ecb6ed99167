import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { readHostFilter, type FilterableHost, type HostFilterProblem } from '../../electron/common/host-filter';
import type { MessageId } from '../i18n/catalogs';
import { InputField } from './text-field';

/** The filter the table shows: the last one typed that could be read, so a half-typed range keeps the rows. */
export interface AppliedFilter {
  text: string;
  matches: (host: FilterableHost) => boolean;
}

/** No filter yet: every host. */
export const everyHost: AppliedFilter = { text: '', matches: () => true };

const problemText: Record<HostFilterProblem, MessageId> = {
  'cidr-invalid': 'hostFilter.problem.cidr',
  'range-syntax': 'hostFilter.problem.rangeSyntax',
  'range-backwards': 'hostFilter.problem.rangeBackwards',
  'failed-id': 'hostFilter.problem.failedId',
};

interface HostFilterBarProps {
  filterText: string;
  onFilter: (filter: AppliedFilter) => void;
  shown: number;
  total: number;
  onSelectShown: () => void;
  /** The select button's words, with the count; "Select the N shown" unless the step means more by it. */
  selectLabelId?: MessageId;
}

/**
 * The filter box (a name, a range such as node[001:100], a network such as 10.0.1.0/24, a failed check such as
 * failed:swap), how many hosts it shows, and "select these".
 */
export function HostFilterBar(props: HostFilterBarProps) {
  const { filterText, onFilter, shown, total, onSelectShown } = props;
  const intl = useIntl();
  const [text, setText] = useState(filterText);
  const [problem, setProblem] = useState<{ kind: HostFilterProblem; term: string } | null>(null);
  const change = (next: string) => {
    setText(next);
    const filter = readHostFilter(next);
    if (filter.ok) onFilter({ text: next, matches: filter.matches });
    setProblem(filter.ok ? null : { kind: filter.problem, term: filter.term });
  };
  return (
    <div className="host-filter">
      <InputField
        className="host-filter__field"
        label={intl.formatMessage({ id: 'hostFilter.label' })}
        hint={intl.formatMessage({ id: 'hostFilter.hint' })}
        error={problem && intl.formatMessage({ id: problemText[problem.kind] }, { pattern: problem.term })}
        value={text}
        placeholder="node[001:100], 10.0.1.0/24"
        spellCheck={false}
        autoComplete="off"
        onChange={change}
      />
      <span className="muted small" role="status">
        <FormattedMessage id="hostFilter.shown" values={{ shown, total }} />
      </span>
      <button type="button" className="btn" disabled={shown === 0} onClick={onSelectShown}>
        <FormattedMessage id={props.selectLabelId ?? 'hostFilter.selectShown'} values={{ count: shown }} />
      </button>
    </div>
  );
}
