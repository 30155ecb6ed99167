import { FormattedMessage } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { MessageId } from '../i18n/catalogs';
import { Fact } from '../ui/fact';
import type { AppInfo } from '../store/connection-slice';
import { useAirspray } from '../store/store-context';

const dataDirReasons: Record<AppInfo['dataDirSource'], MessageId> = {
  option: 'frame.about.dataDir.option',
  portable: 'frame.about.dataDir.portable',
  appimage: 'frame.about.dataDir.appimage',
  'user-data': 'frame.about.dataDir.userData',
};
const shellNames: Record<AppInfo['shell'], MessageId> = {
  desktop: 'frame.about.shell.desktop',
  browser: 'frame.about.shell.browser',
};

/** Version and where projects are kept, with the reason that folder was chosen. */
export function AppInfoPanel() {
  const { info, error } = useAirspray(useShallow((state) => ({ info: state.appInfo, error: state.appInfoError })));
  return (
    <section className="app-info" aria-labelledby="app-info-title">
      <h2 id="app-info-title" className="app-info__title">
        <FormattedMessage id="frame.about.title" />
      </h2>
      {info ? (
        <dl className="app-info__list">
          <Fact labelId="frame.about.version">
            {info.name} {info.version}
          </Fact>
          <Fact labelId="frame.about.runningAs">
            <FormattedMessage
              id="frame.about.shellOn"
              values={{ shell: <FormattedMessage id={shellNames[info.shell]} />, platform: info.platform }}
            />
          </Fact>
          <Fact labelId="frame.about.dataFolder">
            <code className="path">{info.dataDir}</code>
            <span className="app-info__reason">
              <FormattedMessage id={dataDirReasons[info.dataDirSource]} />
            </span>
          </Fact>
        </dl>
      ) : (
        <p className="muted small">{error ?? <FormattedMessage id="frame.about.waiting" />}</p>
      )}
    </section>
  );
}
