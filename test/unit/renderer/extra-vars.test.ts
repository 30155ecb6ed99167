import { createIntl } from 'react-intl';
import { describe, expect, it } from 'vitest';
import { parseExtraVars } from '../../../renderer/features/deploy/extra-vars';
import { catalogs } from '../../../renderer/i18n/catalogs';

describe('parseExtraVars', () => {
  it('keeps JSON types, so booleans reach Ansible as booleans, and reads the rest as strings', () => {
    expect(
      parseExtraVars(
        'node=lab4\nskip_confirmation=true\n\n# a comment\nairspray_fixture_sleep=3\nopts={"a": [1]}\nname="quoted"\nempty=',
      ),
    ).toEqual({
      node: 'lab4',
      skip_confirmation: true,
      airspray_fixture_sleep: 3,
      opts: { a: [1] },
      name: 'quoted',
      empty: '',
    });
  });

  it('names the first line that is not KEY=VALUE', () => {
    expect(parseExtraVars('a=1\nnot a pair')).toMatch(/^Line 2 \("not a pair"\)/);
    expect(parseExtraVars('1x=2')).toMatch(/^Line 1/);
  });

  it('names the bad line in the language it is given', () => {
    const chinese = createIntl({ locale: 'zh-CN', messages: catalogs['zh-CN'] });
    expect(parseExtraVars('a=1\nnot a pair', chinese)).toMatch(/^第 2 行（“not a pair”）/);
  });
});
