import { useShallow } from 'zustand/react/shallow';
import type { AppInfo } from '../store/connection-slice';
import { useAirspray } from '../store/store-context';

const dataDirReasons: Record<AppInfo['dataDirSource'], string> = {
  option: 'Chosen with --data-dir.',
  portable: 'Portable: beside the app, so it travels with the stick.',
  appimage: 'Beside the AppImage, so it travels with the stick.',
  'user-data': "This computer's per-user application data folder.",
};
const shellNames: Record<AppInfo['shell'], string> = { desktop: 'Desktop app', browser: 'Browser mode' };

/** Version and where projects are kept, with the reason that folder was chosen. */
export function AppInfoPanel() {
  const { info, error } = useAirspray(useShallow((state) => ({ info: state.appInfo, error: state.appInfoError })));
  return (
    <section className="app-info" aria-labelledby="app-info-title">
      <h2 id="app-info-title" className="app-info__title">
        About this app
      </h2>
      {info ? (
        <dl className="app-info__list">
          <dt>Version</dt>
          <dd>
            {info.name} {info.version}
          </dd>
          <dt>Running as</dt>
          <dd>
            {shellNames[info.shell]} on {info.platform}
          </dd>
          <dt>Data folder</dt>
          <dd>
            <code className="path">{info.dataDir}</code>
            <span className="app-info__reason">{dataDirReasons[info.dataDirSource]}</span>
          </dd>
        </dl>
      ) : (
        <p className="muted small">{error ?? 'Waiting for the app…'}</p>
      )}
    </section>
  );
}
