import { FormattedMessage, useIntl } from 'react-intl';
import type { BundleFolder } from '../../../electron/common/bundle';
import { AlertIcon, PackageIcon } from '../../ui/icons';
import { bundleSourceLabels } from './bundle-source-label';
import { BundleVerificationPanel, VerificationBadge } from './bundle-verification-panel';
import { Fact } from '../../ui/fact';
import { formatDateTime } from '../../ui/format-date-time';

/** One folder under a bundles/ location: its manifest facts, or why the manifest could not be read. */
export function BundleCard({ bundle }: { bundle: BundleFolder }) {
  const intl = useIntl();
  const { manifest } = bundle;
  const readable = manifest.state === 'readable';
  return (
    <li className={readable ? 'card bundle-card' : 'card card--failed bundle-card bundle-card--unreadable'}>
      <div className="card__head bundle-card__head">
        <span className="bundle-card__icon">{readable ? <PackageIcon /> : <AlertIcon />}</span>
        <h3 className="bundle-card__name">{bundle.folderName}</h3>
        <span className="badge">{intl.formatMessage({ id: bundleSourceLabels[bundle.source] })}</span>
        {readable && <VerificationBadge path={bundle.path} />}
      </div>
      {readable ? (
        <>
          <dl className="facts">
            <Fact labelId="bundle.card.id">
              <code>{manifest.header.bundleId}</code>
            </Fact>
            {manifest.header.base && (
              <Fact labelId="bundle.card.base">
                <FormattedMessage
                  id="bundle.card.deltaOf"
                  values={{ base: <code>{manifest.header.base.bundleId}</code> }}
                />
              </Fact>
            )}
            <Fact labelId="bundle.card.kubespray">{manifest.header.kubespray.version}</Fact>
            <Fact labelId="bundle.card.kubernetes" className="chips">
              {/* Spans, not a nested list: each item of "Bundles found" is one bundle. */}
              {manifest.header.kubernetesVersions.map((version) => (
                <span key={version} className="chip">
                  {version}
                </span>
              ))}
            </Fact>
            <Fact labelId="bundle.card.created">
              <time dateTime={manifest.header.createdAt}>{formatDateTime(manifest.header.createdAt, intl.locale)}</time>
            </Fact>
            <Fact labelId="bundle.card.signature">
              <FormattedMessage id={bundle.hasSignature ? 'bundle.card.signed' : 'bundle.card.unsigned'} />
            </Fact>
            <FolderFact path={bundle.path} />
          </dl>
          <BundleVerificationPanel path={bundle.path} folderName={bundle.folderName} />
        </>
      ) : (
        <>
          <p className="bundle-card__problem">
            <strong>
              <FormattedMessage id="bundle.card.unreadable" />
            </strong>{' '}
            {manifest.problem}
          </p>
          <dl className="facts">
            <FolderFact path={bundle.path} />
          </dl>
        </>
      )}
    </li>
  );
}

function FolderFact({ path }: { path: string }) {
  return (
    <Fact labelId="bundle.card.folder">
      <code className="path">{path}</code>
    </Fact>
  );
}
