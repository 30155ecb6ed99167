import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { MessageId } from '../../i18n/catalogs';
import type { AirsprayState } from '../../store/airspray-state';
import type { ChecklistState } from '../../store/deploy-prep-slice';
import { selectHarborCaTrust, selectHarborPush } from '../../store/harbor-deploy-slice';
import { useAirspray } from '../../store/store-context';
import type { FieldError } from '../../store/field-error';
import { AlertIcon, CheckIcon, RefreshIcon } from '../../ui/icons';

/** Not pushed from this window, but the services answered with the bundle's own files (and images). */
export const selectBundleServed = (state: AirsprayState): boolean =>
  state.bundlePush.state === 'pending' && state.offlineServices.state === 'done';

/** The preparation items' states in checklist order; a Harbor plan adds the image push and the CA trust. */
function preparationStates(state: AirsprayState): ChecklistState[] {
  const harbor = state.currentProject?.cluster.settings.registry.kind === 'harbor';
  return [
    state.deployKeys.state,
    selectBundleServed(state) ? 'done' : state.bundlePush.state,
    state.offlineServices.state,
    ...(harbor ? [selectHarborPush(state).state, selectHarborCaTrust(state).state] : []),
  ];
}

/** The cluster.yml item's number: after every preparation item. */
export const selectClusterRunNumber = (state: AirsprayState): number => preparationStates(state).length + 1;

/** The item to work on now: the first of the preparation not done, else the cluster.yml run. */
export function selectNextChecklistItem(state: AirsprayState): number {
  const states = preparationStates(state);
  const index = states.findIndex((entry) => entry !== 'done');
  return index === -1 ? states.length + 1 : index + 1;
}

/**
 * Item `number`'s main button class: primary on the item to work on now, so the eye goes down the list with the work.
 */
export function useMainButtonClass(number: number): string {
  const next = useAirspray((state) => selectNextChecklistItem(state) === number);
  return next ? 'btn btn--primary' : 'btn';
}

/** Item `number`'s main button, with the class above. */
export function MainButton({
  number,
  ...button
}: { number: number } & Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'className'>) {
  return <button {...button} type="button" className={useMainButtonClass(number)} />;
}

const stateText: Record<ChecklistState, MessageId> = {
  pending: 'deploy.state.pending',
  working: 'deploy.state.working',
  done: 'deploy.state.done',
  failed: 'deploy.state.failed',
};

/** The numbered mark at the left of an item: its number until done, a tick when done, a warning when it failed. */
function StateMark({ number, state }: { number: number; state: ChecklistState }) {
  if (state === 'done') return <CheckIcon className="checklist-item__mark checklist-item__mark--done" />;
  if (state === 'failed') return <AlertIcon className="checklist-item__mark checklist-item__mark--failed" />;
  if (state === 'working') return <RefreshIcon className="checklist-item__mark checklist-item__mark--working spin" />;
  return (
    <span className="checklist-item__mark checklist-item__number" aria-hidden>
      {number}
    </span>
  );
}

/** One thing to do before kubespray runs: its state where the eye lands first, what it found, and its controls. */
export function ChecklistItem({
  number,
  titleId,
  titleValues,
  state,
  summary,
  children,
}: {
  number: number;
  titleId: MessageId;
  titleValues?: Record<string, string>;
  state: ChecklistState;
  summary: ReactNode;
  children?: ReactNode;
}) {
  const title = useIntl().formatMessage({ id: titleId }, titleValues);
  return (
    <li className={`checklist-item checklist-item--${state}`} aria-label={title} data-state={state}>
      <StateMark number={number} state={state} />
      <div className="checklist-item__content">
        <div className="checklist-item__head">
          <strong>{title}</strong>
          <span className={`badge checklist-state checklist-state--${state}`}>
            <FormattedMessage id={stateText[state]} />
          </span>
        </div>
        <div className="small muted checklist-item__summary">{summary}</div>
        {children}
      </div>
    </li>
  );
}

/** What the API's field names mean to the operator. */
const fieldLabels: Record<string, MessageId> = {
  destination: 'deploy.field.destination',
  credentialId: 'deploy.field.credentialId',
  keyPassphrase: 'deploy.field.keyPassphrase',
  bundle: 'deploy.field.bundle',
  bundleId: 'deploy.field.bundle',
  deployNode: 'deploy.field.deployNode',
  hosts: 'deploy.field.hosts',
  projectId: 'deploy.field.projectId',
  'settings.registry': 'deploy.field.registry',
  'settings.registry.address': 'deploy.field.registryAddress',
  'settings.registry.project': 'deploy.field.registryProject',
  'settings.registry.caCertificate': 'deploy.field.registryCa',
  'settings.registry.username': 'deploy.field.registryUser',
  harborPassword: 'deploy.field.harborPassword',
};

/** A refusal with what it concerns first, so "not enough disk" reads as the deploy node's disk. */
export function ChecklistError({ error }: { error: FieldError | null }) {
  if (!error) return null;
  const labelId = error.field ? fieldLabels[error.field] : undefined;
  // A field this list does not know shows by its API name, which is what the core's message speaks of.
  const label = labelId ? <FormattedMessage id={labelId} /> : error.field;
  return (
    <p className="field-error checklist-item__error" role="alert" data-field={error.field}>
      {label && (
        <strong>
          <FormattedMessage id="deploy.errorField" values={{ field: label }} />
        </strong>
      )}
      {error.message}
    </p>
  );
}
