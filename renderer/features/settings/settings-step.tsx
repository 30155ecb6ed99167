import { useEffect, useMemo } from 'react';
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
import { FindingsList } from '../../ui/findings-list';
import { Field, InputField, Options, SelectField, type FieldInputProps } from '../../ui/text-field';
import { DayTwoSection } from './day-two-section';
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
    errorFor: (field) =>
      findings.find((finding: PlanFinding) => finding.field === field && finding.severity === 'error')?.message,
  };

  return (
    <div className="settings-step">
      <p className="lead">
        Settings for {plan.settings.clusterName}. Only what the chosen bundle carries can be picked.
      </p>
      <BundleSection {...section} bundle={plan.bundle} />
      <NetworksSection {...section} />
      <LoadBalancingSection {...section} />
      <RegistrySection {...section} />
      <DayTwoSection {...section} />
      <section className="settings-section" aria-label="Extra variables">
        <h2 className="section-title">Extra variables (experts)</h2>
        <Field
          label="Kubespray variables as YAML"
          hint="Written to group_vars/all/extra.yml. No secrets: they are refused."
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
      </section>

      <FindingsList findings={findings} title="Checks on settings" />
    </div>
  );
}

/** The bundle this cluster is installed from, and the versions and plugins it carries. */
function BundleSection({ settings, set, errorFor, bundle }: SectionProps & { bundle: ClusterPlan['bundle'] }) {
  const chooseBundle = useAirspray((state) => state.chooseBundle);
  const bundleChoiceError = useAirspray((state) => state.bundleChoiceError);
  const bundleSearch = useAirspray((state) => state.bundleSearch);
  const readableBundles = (bundleSearch?.bundles ?? []).flatMap((entry) =>
    entry.manifest.state === 'readable' ? [{ path: entry.path, header: entry.manifest.header }] : [],
  );
  const chosenPath = readableBundles.find((entry) => entry.header.bundleId === bundle?.bundleId)?.path ?? '';
  const plugins = bundle?.networkPlugins ?? networkPlugins;
  return (
    <section className="settings-section" aria-label="Bundle and versions">
      <h2 className="section-title">Bundle and versions</h2>
      <div className="settings-grid">
        <SelectField
          label="Bundle"
          error={bundleChoiceError ?? errorFor('bundle')}
          hint={bundle ? `kubespray ${bundle.kubesprayVersion}` : 'Choose the bundle this cluster is installed from.'}
          value={chosenPath}
          onChange={(path) => void chooseBundle(path || null)}
        >
          <option value="">{readableBundles.length === 0 ? 'No bundles found' : 'Choose a bundle…'}</option>
          {readableBundles.map((entry) => (
            <option key={entry.path} value={entry.path}>
              {entry.header.bundleId}
            </option>
          ))}
        </SelectField>
        <Field label="Kubernetes version" error={errorFor('settings.kubernetesVersion')}>
          {(input) =>
            bundle ? (
              <select
                {...input}
                className="input"
                value={settings.kubernetesVersion}
                onChange={(event) => set({ kubernetesVersion: event.target.value })}
              >
                <option value="">Choose…</option>
                {[
                  ...new Set([
                    ...bundle.kubernetesVersions,
                    ...(settings.kubernetesVersion ? [settings.kubernetesVersion] : []),
                  ]),
                ].map((version) => (
                  <option key={version} value={version}>
                    {version}
                    {bundle.kubernetesVersions.includes(version) ? '' : ' (not in bundle)'}
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
          label="Network plugin"
          error={errorFor('settings.networkPlugin')}
          value={settings.networkPlugin}
          onChange={(networkPlugin) => set({ networkPlugin })}
        >
          <Options values={[...new Set([...plugins, settings.networkPlugin])]} />
        </SelectField>
        <InputField
          label="Cluster name (cluster_name)"
          value={settings.clusterName}
          onChange={(clusterName) => set({ clusterName })}
        />
        <Field label="Container runtime" hint="Airspray installs containerd.">
          {(input) => <input {...input} className="input" value="containerd" readOnly />}
        </Field>
      </div>
    </section>
  );
}

function NetworksSection({ settings, set, errorFor }: SectionProps) {
  return (
    <section className="settings-section" aria-label="Networks">
      <h2 className="section-title">Networks</h2>
      <div className="settings-grid">
        {(
          [
            ['podCidr', 'Pod network (CIDR)'],
            ['serviceCidr', 'Service network (CIDR)'],
          ] as const
        ).map(([key, label]) => (
          <InputField
            key={key}
            label={label}
            error={errorFor(`settings.${key}`)}
            value={settings[key]}
            spellCheck={false}
            onChange={(text) => set({ [key]: text.trim() })}
          />
        ))}
        <InputField
          label="Node prefix"
          hint="Each node gets a pod subnet of this size."
          error={errorFor('settings.nodePrefix')}
          type="number"
          min={1}
          max={32}
          value={settings.nodePrefix}
          onChange={(text) => set({ nodePrefix: Math.min(32, Math.max(1, Number(text) || 24)) })}
        />
        <SelectField
          label="kube-proxy mode"
          value={settings.kubeProxyMode}
          onChange={(kubeProxyMode) => set({ kubeProxyMode })}
        >
          <Options values={kubeProxyModes} />
        </SelectField>
        <SelectField label="DNS" value={settings.dns.mode} onChange={(mode) => set({ dns: { ...settings.dns, mode } })}>
          <Options values={dnsModes} />
        </SelectField>
        <InputField
          label="DNS domain"
          value={settings.dns.domain}
          onChange={(text) => set({ dns: { ...settings.dns, domain: text.trim() } })}
        />
      </div>
    </section>
  );
}

function LoadBalancingSection({ settings, set, errorFor }: SectionProps) {
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
    <section className="settings-section" aria-label="API load balancing">
      <h2 className="section-title">API load balancing</h2>
      <div className="radio-row" role="radiogroup" aria-label="API load balancing">
        {(
          [
            ['local', "kubespray's local proxy on every node"],
            ['external', 'External load balancer / VIP'],
            ['kube-vip', 'kube-vip'],
            ['none', 'None (one control plane only)'],
          ] as const
        ).map(([mode, label]) => (
          <label key={mode}>
            <input
              type="radio"
              name="balancing"
              checked={balancing.mode === mode}
              onChange={() => setBalancingMode(mode)}
            />{' '}
            {label}
          </label>
        ))}
      </div>
      {errorFor('settings.apiLoadBalancing') && <p className="field-error">{errorFor('settings.apiLoadBalancing')}</p>}
      <div className="settings-grid settings-section">
        {balancing.mode === 'local' && (
          <SelectField
            label="Proxy"
            value={balancing.type}
            onChange={(type) => set({ apiLoadBalancing: { mode: 'local', type } })}
          >
            <Options values={['nginx', 'haproxy']} />
          </SelectField>
        )}
        {(balancing.mode === 'external' || balancing.mode === 'kube-vip') && (
          <InputField
            label={balancing.mode === 'kube-vip' ? 'Virtual address' : 'Load balancer address'}
            error={errorFor('settings.apiLoadBalancing.address')}
            value={balancing.address}
            placeholder="10.0.0.100"
            onChange={(text) => set({ apiLoadBalancing: { ...balancing, address: text.trim() } })}
          />
        )}
        {balancing.mode === 'external' && (
          <InputField
            label="Port"
            type="number"
            value={balancing.port}
            onChange={(text) => set({ apiLoadBalancing: { ...balancing, port: Number(text) || 6443 } })}
          />
        )}
      </div>
    </section>
  );
}

function RegistrySection({ settings, set }: SectionProps) {
  const registry = settings.registry;
  const setRegistryKind = (kind: RegistrySettings['kind']) =>
    set({
      registry:
        kind === 'bundle'
          ? { kind, registryPort: 5000, filesPort: registry.filesPort }
          : { kind, address: '', project: 'library', filesPort: registry.filesPort },
    });
  return (
    <section className="settings-section" aria-label="Time and registry">
      <h2 className="section-title">Time and registry</h2>
      <div className="settings-grid">
        <Field label="NTP servers on the LAN" hint="One per line; empty leaves time to the hosts.">
          {(input) => (
            <DeferredTextArea
              {...input}
              value={settings.ntpServers.join('\n')}
              onCommit={(text) => set({ ntpServers: text.split(/[\s,]+/).filter(Boolean) })}
            />
          )}
        </Field>
        <SelectField label="Registry" value={registry.kind} onChange={setRegistryKind}>
          <option value="bundle">The deploy node&apos;s registry (from the bundle)</option>
          <option value="harbor">An existing Harbor</option>
        </SelectField>
        {registry.kind === 'harbor' && (
          <>
            <InputField
              label="Harbor address"
              hint="host[:port]"
              value={registry.address}
              onChange={(text) => set({ registry: { ...registry, address: text.trim() } })}
            />
            <InputField
              label="Harbor project"
              value={registry.project}
              onChange={(text) => set({ registry: { ...registry, project: text.trim() } })}
            />
            <InputField
              label="Harbor user"
              hint="The password is asked for at deploy time and never stored or exported."
              value={registry.username ?? ''}
              autoComplete="off"
              onChange={(username) =>
                set({ registry: username ? { ...registry, username } : omitKey(registry, 'username') })
              }
            />
            <Field label="Harbor CA certificate (PEM)" className="wide">
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
    </section>
  );
}
