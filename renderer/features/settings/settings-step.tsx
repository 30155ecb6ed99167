import { useEffect, useMemo } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import {
  dnsModes,
  kubeProxyModes,
  networkPlugins,
  type ApiLoadBalancing,
  type ClusterPlan,
  type ClusterSettings,
  type RegistrySettings,
} from '../../../electron/common/cluster-plan';
import { validatePlan, type PlanFinding } from '../../../electron/common/plan-validation';
import { selectPlan } from '../../store/plan-slice';
import { useAirspray } from '../../store/store-context';
import { formatPlanFinding } from '../../i18n/core-message';
import { FindingsList } from '../../ui/findings-list';
import { Field, InputField, Options, SelectField, type FieldInputProps } from '../../ui/text-field';
import { DayTwoSection } from './day-two-section';
import { TitledSection } from '../../ui/titled-section';
import '../plan/plan.css';

/** Commits on blur: lists and YAML are edited as free text and only read once the person is done typing. */
function DeferredTextArea({
  value,
  onCommit,
  rows = 3,
  ...input
}: FieldInputProps & { value: string; onCommit: (text: string) => void; rows?: number }) {
  // Keyed by the saved value, so a change saved elsewhere replaces what is shown.
  return (
    <textarea
      key={value}
      {...input}
      className="input"
      rows={rows}
      spellCheck={false}
      defaultValue={value}
      onBlur={(event) => event.target.value !== value && onCommit(event.target.value)}
    />
  );
}

/** A copy without one optional key (an emptied optional field is absent, not ""). */
function omitKey<T extends object>(object: T, key: keyof T): T {
  return Object.fromEntries(Object.entries(object).filter(([name]) => name !== key)) as T;
}

/** What every section edits with: the plan's settings, a change to them, and the error the checks found for a field. */
interface SectionProps {
  settings: ClusterSettings;
  set: (change: Partial<ClusterSettings>) => void;
  errorFor: (field: string) => string | undefined;
}

/**
 * The cluster's settings: versions and plugins the chosen bundle carries, networks, API load balancing, NTP, registry.
 */
export function SettingsStep() {
  const intl = useIntl();
  const plan = useAirspray(selectPlan);
  const editPlan = useAirspray((state) => state.editPlan);
  const bundlesStatus = useAirspray((state) => state.bundlesStatus);
  const loadBundles = useAirspray((state) => state.loadBundles);
  const findings = useMemo(
    () =>
      plan
        ? validatePlan(plan).filter((finding) => finding.field?.startsWith('settings') || finding.field === 'bundle')
        : [],
    [plan],
  );

  useEffect(() => {
    if (bundlesStatus === 'idle') void loadBundles();
  }, [bundlesStatus, loadBundles]);

  if (!plan) return null;
  const section: SectionProps = {
    settings: plan.settings,
    set: (change) => editPlan((current) => ({ ...current, settings: { ...current.settings, ...change } })),
    errorFor: (field) => {
      const error = findings.find((finding: PlanFinding) => finding.field === field && finding.severity === 'error');
      return error && formatPlanFinding(intl, error);
    },
  };

  return (
    <div className="settings-step">
      <p className="lead">
        <FormattedMessage id="settings.lead" values={{ cluster: plan.settings.clusterName }} />
      </p>
      <BundleSection {...section} bundle={plan.bundle} />
      <NetworksSection {...section} />
      <LoadBalancingSection {...section} />
      <RegistrySection {...section} />
      <DayTwoSection {...section} />
      <TitledSection titleId="settings.extra.title" labelId="settings.extra.label" className="settings-section">
        <Field
          label={intl.formatMessage({ id: 'settings.extra.yaml' })}
          hint={intl.formatMessage({ id: 'settings.extra.hint' }, { file: 'group_vars/all/extra.yml' })}
          className="wide"
        >
          {(input) => (
            <DeferredTextArea
              {...input}
              rows={5}
              value={section.settings.extraVarsYaml}
              onCommit={(text) => section.set({ extraVarsYaml: text })}
            />
          )}
        </Field>
      </TitledSection>

      <FindingsList findings={findings} title={intl.formatMessage({ id: 'settings.findings' })} />
    </div>
  );
}

/** The bundle this cluster is installed from, and the versions and plugins it carries. */
function BundleSection({ settings, set, errorFor, bundle }: SectionProps & { bundle: ClusterPlan['bundle'] }) {
  const intl = useIntl();
  const chooseBundle = useAirspray((state) => state.chooseBundle);
  const bundleChoiceError = useAirspray((state) => state.bundleChoiceError);
  const bundleSearch = useAirspray((state) => state.bundleSearch);
  const readableBundles = (bundleSearch?.bundles ?? []).flatMap((entry) =>
    entry.manifest.state === 'readable' ? [{ path: entry.path, header: entry.manifest.header }] : [],
  );
  const chosenPath = readableBundles.find((entry) => entry.header.bundleId === bundle?.bundleId)?.path ?? '';
  const plugins = bundle?.networkPlugins ?? networkPlugins;
  return (
    <TitledSection titleId="settings.bundle.title" className="settings-section">
      <div className="settings-grid">
        <SelectField
          label={intl.formatMessage({ id: 'settings.bundle.label' })}
          error={bundleChoiceError ?? errorFor('bundle')}
          hint={
            bundle
              ? intl.formatMessage({ id: 'settings.bundle.kubespray' }, { version: bundle.kubesprayVersion })
              : intl.formatMessage({ id: 'settings.bundle.choose' })
          }
          value={chosenPath}
          onChange={(path) => void chooseBundle(path || null)}
        >
          <option value="">
            {intl.formatMessage({
              id: readableBundles.length === 0 ? 'bundle.none.title' : 'settings.bundle.placeholder',
            })}
          </option>
          {readableBundles.map((entry) => (
            <option key={entry.path} value={entry.path}>
              {entry.header.bundleId}
            </option>
          ))}
        </SelectField>
        <Field
          label={intl.formatMessage({ id: 'settings.kubernetesVersion' })}
          error={errorFor('settings.kubernetesVersion')}
        >
          {(input) =>
            bundle ? (
              <select
                {...input}
                className="input"
                value={settings.kubernetesVersion}
                onChange={(event) => set({ kubernetesVersion: event.target.value })}
              >
                <option value="">{intl.formatMessage({ id: 'settings.choose' })}</option>
                {[
                  ...new Set([
                    ...bundle.kubernetesVersions,
                    ...(settings.kubernetesVersion ? [settings.kubernetesVersion] : []),
                  ]),
                ].map((version) => (
                  <option key={version} value={version}>
                    {bundle.kubernetesVersions.includes(version)
                      ? version
                      : intl.formatMessage({ id: 'settings.notInBundle' }, { version })}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...input}
                className="input"
                value={settings.kubernetesVersion}
                placeholder="1.27.10"
                onChange={(event) => set({ kubernetesVersion: event.target.value.trim() })}
              />
            )
          }
        </Field>
        <SelectField
          label={intl.formatMessage({ id: 'settings.networkPlugin' })}
          error={errorFor('settings.networkPlugin')}
          value={settings.networkPlugin}
          onChange={(networkPlugin) => set({ networkPlugin })}
        >
          <Options values={[...new Set([...plugins, settings.networkPlugin])]} />
        </SelectField>
        <InputField
          label={intl.formatMessage({ id: 'settings.clusterName' }, { variable: 'cluster_name' })}
          value={settings.clusterName}
          onChange={(clusterName) => set({ clusterName })}
        />
        <Field
          label={intl.formatMessage({ id: 'settings.containerRuntime' })}
          hint={intl.formatMessage({ id: 'settings.containerRuntime.hint' })}
        >
          {(input) => <input {...input} className="input" value="containerd" readOnly />}
        </Field>
      </div>
    </TitledSection>
  );
}

function NetworksSection({ settings, set, errorFor }: SectionProps) {
  const intl = useIntl();
  return (
    <TitledSection titleId="settings.networks.title" className="settings-section">
      <div className="settings-grid">
        {(
          [
            ['podCidr', 'settings.podCidr'],
            ['serviceCidr', 'settings.serviceCidr'],
          ] as const
        ).map(([key, label]) => (
          <InputField
            key={key}
            label={intl.formatMessage({ id: label })}
            error={errorFor(`settings.${key}`)}
            value={settings[key]}
            spellCheck={false}
            onChange={(text) => set({ [key]: text.trim() })}
          />
        ))}
        <InputField
          label={intl.formatMessage({ id: 'settings.nodePrefix' })}
          hint={intl.formatMessage({ id: 'settings.nodePrefix.hint' })}
          error={errorFor('settings.nodePrefix')}
          type="number"
          min={1}
          max={32}
          value={settings.nodePrefix}
          onChange={(text) => set({ nodePrefix: Math.min(32, Math.max(1, Number(text) || 24)) })}
        />
        <SelectField
          label={intl.formatMessage({ id: 'settings.kubeProxyMode' })}
          value={settings.kubeProxyMode}
          onChange={(kubeProxyMode) => set({ kubeProxyMode })}
        >
          <Options values={kubeProxyModes} />
        </SelectField>
        <SelectField
          label={intl.formatMessage({ id: 'settings.dns' })}
          value={settings.dns.mode}
          onChange={(mode) => set({ dns: { ...settings.dns, mode } })}
        >
          <Options values={dnsModes} />
        </SelectField>
        <InputField
          label={intl.formatMessage({ id: 'settings.dnsDomain' })}
          value={settings.dns.domain}
          onChange={(text) => set({ dns: { ...settings.dns, domain: text.trim() } })}
        />
      </div>
    </TitledSection>
  );
}

function LoadBalancingSection({ settings, set, errorFor }: SectionProps) {
  const intl = useIntl();
  const balancing = settings.apiLoadBalancing;
  const setBalancingMode = (mode: ApiLoadBalancing['mode']) => {
    const address = 'address' in balancing ? balancing.address : '';
    const next: ApiLoadBalancing =
      mode === 'none'
        ? { mode }
        : mode === 'local'
          ? { mode, type: 'nginx' }
          : mode === 'external'
            ? { mode, address, port: 6443 }
            : { mode, address };
    set({ apiLoadBalancing: next });
  };
  return (
    <TitledSection titleId="settings.balancing.title" className="settings-section">
      <div className="radio-row" role="radiogroup" aria-label={intl.formatMessage({ id: 'settings.balancing.title' })}>
        {(
          [
            ['local', 'settings.balancing.local'],
            ['external', 'settings.balancing.external'],
            ['kube-vip', 'settings.balancing.kubeVip'],
            ['none', 'settings.balancing.none'],
          ] as const
        ).map(([mode, label]) => (
          <label key={mode}>
            <input
              type="radio"
              name="balancing"
              checked={balancing.mode === mode}
              onChange={() => setBalancingMode(mode)}
            />{' '}
            {intl.formatMessage({ id: label })}
          </label>
        ))}
      </div>
      {errorFor('settings.apiLoadBalancing') && <p className="field-error">{errorFor('settings.apiLoadBalancing')}</p>}
      <div className="settings-grid settings-section">
        {balancing.mode === 'local' && (
          <SelectField
            label={intl.formatMessage({ id: 'settings.balancing.proxy' })}
            value={balancing.type}
            onChange={(type) => set({ apiLoadBalancing: { mode: 'local', type } })}
          >
            <Options values={['nginx', 'haproxy']} />
          </SelectField>
        )}
        {(balancing.mode === 'external' || balancing.mode === 'kube-vip') && (
          <InputField
            label={intl.formatMessage({
              id: balancing.mode === 'kube-vip' ? 'settings.balancing.vip' : 'settings.balancing.address',
            })}
            error={errorFor('settings.apiLoadBalancing.address')}
            value={balancing.address}
            placeholder="10.0.0.100"
            onChange={(text) => set({ apiLoadBalancing: { ...balancing, address: text.trim() } })}
          />
        )}
        {balancing.mode === 'external' && (
          <InputField
            label={intl.formatMessage({ id: 'settings.balancing.port' })}
            type="number"
            value={balancing.port}
            onChange={(text) => set({ apiLoadBalancing: { ...balancing, port: Number(text) || 6443 } })}
          />
        )}
      </div>
    </TitledSection>
  );
}

function RegistrySection({ settings, set }: SectionProps) {
  const intl = useIntl();
  const registry = settings.registry;
  const setRegistryKind = (kind: RegistrySettings['kind']) =>
    set({
      registry:
        kind === 'bundle'
          ? { kind, registryPort: 5000, filesPort: registry.filesPort }
          : { kind, address: '', project: 'library', filesPort: registry.filesPort },
    });
  return (
    <TitledSection titleId="settings.registry.title" className="settings-section">
      <div className="settings-grid">
        <Field
          label={intl.formatMessage({ id: 'settings.ntp' })}
          hint={intl.formatMessage({ id: 'settings.ntp.hint' })}
        >
          {(input) => (
            <DeferredTextArea
              {...input}
              value={settings.ntpServers.join('\n')}
              onCommit={(text) => set({ ntpServers: text.split(/[\s,]+/).filter(Boolean) })}
            />
          )}
        </Field>
        <SelectField
          label={intl.formatMessage({ id: 'settings.registry' })}
          value={registry.kind}
          onChange={setRegistryKind}
        >
          <option value="bundle">{intl.formatMessage({ id: 'settings.registry.bundle' })}</option>
          <option value="harbor">{intl.formatMessage({ id: 'settings.registry.harbor' })}</option>
        </SelectField>
        {registry.kind === 'harbor' && (
          <>
            <InputField
              label={intl.formatMessage({ id: 'settings.harbor.address' })}
              hint={intl.formatMessage({ id: 'settings.harbor.address.hint' })}
              value={registry.address}
              onChange={(text) => set({ registry: { ...registry, address: text.trim() } })}
            />
            <InputField
              label={intl.formatMessage({ id: 'settings.harbor.project' })}
              value={registry.project}
              onChange={(text) => set({ registry: { ...registry, project: text.trim() } })}
            />
            <InputField
              label={intl.formatMessage({ id: 'settings.harbor.user' })}
              hint={intl.formatMessage({ id: 'settings.harbor.user.hint' })}
              value={registry.username ?? ''}
              autoComplete="off"
              onChange={(username) =>
                set({ registry: username ? { ...registry, username } : omitKey(registry, 'username') })
              }
            />
            <Field label={intl.formatMessage({ id: 'settings.harbor.ca' })} className="wide">
              {(input) => (
                <DeferredTextArea
                  {...input}
                  value={registry.caCertificate ?? ''}
                  onCommit={(text) =>
                    set({
                      registry: text.trim() ? { ...registry, caCertificate: text } : omitKey(registry, 'caCertificate'),
                    })
                  }
                />
              )}
            </Field>
          </>
        )}
      </div>
    </TitledSection>
  );
}
