import type { IntlShape } from 'react-intl';
import type { RunOptions } from '../../../electron/common/run';
import { englishIntl } from '../../i18n/english-intl';

export type ExtraVars = NonNullable<RunOptions['extraVars']>;

const namePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Extra variables typed as KEY=VALUE, one per line. A value that reads as JSON keeps its type (true, 3, {"a": 1},
 * "quoted"), so `x=false` reaches Ansible as the boolean, not the string "false"; anything else is a string.
 * Returns the variables, or the first bad line named in `intl`'s language.
 */
export function parseExtraVars(text: string, intl: IntlShape = englishIntl): ExtraVars | string {
  const vars: ExtraVars = {};
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    const name = equals < 0 ? line : line.slice(0, equals).trim();
    if (equals < 0 || !namePattern.test(name)) {
      return intl.formatMessage({ id: 'deploy.extraVars.badLine' }, { line: index + 1, text: line });
    }
    vars[name] = readValue(line.slice(equals + 1).trim());
  }
  return vars;
}

function readValue(text: string): ExtraVars[string] {
  try {
    return JSON.parse(text) as ExtraVars[string];
  } catch {
    return text;
  }
}
