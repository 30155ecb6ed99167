import { FormattedMessage, useIntl } from 'react-intl';
import type { BundleFolder } from '../../../electron/common/bundle';
import { AlertIcon, PackageIcon } from '../../ui/icons';
import { bundleSourceLabels } from './bundle-source-label';
import { BundleVerificationPanel, VerificationBadge } from './bundle-verification-panel';
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
            <dt>
              <FormattedMessage id="bundle.card.id" />
            </dt>
            <dd>
              <code>{manifest.header.bundleId}</code>
            </dd>
            {manifest.header.base && (
              <>
                <dt>
                  <FormattedMessage id="bundle.card.base" />
                </dt>
                <dd>
                  <FormattedMessage
                    id="bundle.card.deltaOf"
                    values={{ base: <code>{manifest.header.base.bundleId}</code> }}
                  />
                </dd>
              </>
            )}
            <dt>
              <FormattedMessage id="bundle.card.kubespray" />
            </dt>
            <dd>{manifest.header.kubespray.version}</dd>
            <dt>
              <FormattedMessage id="bundle.card.kubernetes" />
            </dt>
            <dd className="chips">
              {/* Spans, not a nested list: each item of "Bundles found" is one bundle. */}
              {manifest.header.kubernetesVersions.map((version) => (
                <span key={version} className="chip">
                  {version}
                </span>
              ))}
            </dd>
            <dt>
              <FormattedMessage id="bundle.card.created" />
            </dt>
            <dd>
              <time dateTime={manifest.header.createdAt}>{formatDateTime(manifest.header.createdAt, intl.locale)}</time>
            </dd>
            <dt>
              <FormattedMessage id="bundle.card.signature" />
            </dt>
            <dd>
              <FormattedMessage id={bundle.hasSignature ? 'bundle.card.signed' : 'bundle.card.unsigned'} />
            </dd>
            <dt>
              <FormattedMessage id="bundle.card.folder" />
            </dt>
            <dd>
              <code className="path">{bundle.path}</code>
            </dd>
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
            <dt>
              <FormattedMessage id="bundle.card.folder" />
            </dt>
            <dd>
              <code className="path">{bundle.path}</code>
            </dd>
          </dl>
        </>
      )}
    </li>
  );
}
