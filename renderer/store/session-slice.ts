import type { ProjectDocument } from '../../electron/common/project';
import type { AirsprayState, SliceCreator } from './airspray-state';
import type { FieldError } from './field-error';
import { formatIn } from '../i18n/english-intl';

/** What this window works with: the open project, the chosen credential profile and the deploy key's passphrase. */
export interface SessionSlice {
  /** The open project as last saved; its `revision` goes with every write. */
  currentProject: ProjectDocument | null;
  /** The profile every SSH call of this window logs in with. */
  selectedCredentialId: string | null;
  /** Whether a deploy key passphrase was typed; the passphrase itself stays out of the state (devtools, snapshots). */
  deployKeyPassphraseSet: boolean;
  setDeployKeyPassphrase(passphrase: string): void;
  /** The typed passphrase, for calls that open the deploy key (runs pass it on too). */
  deployKeyPassphrase(): string | undefined;
}

export const createSessionSlice: SliceCreator<SessionSlice> = (set, get) => {
  let keyPassphrase = '';
  return {
    currentProject: null,
    selectedCredentialId: null,
    deployKeyPassphraseSet: false,

    setDeployKeyPassphrase: (passphrase) => {
      keyPassphrase = passphrase;
      const keys = get().deployKeys;
      // A new passphrase answers the key item's complaint about the old one.
      set(
        {
          deployKeyPassphraseSet: passphrase.length > 0,
          ...(keys.error?.field === 'keyPassphrase' ? { deployKeys: { ...keys, error: null } } : {}),
        },
        false,
        'deploy/passphrase',
      );
    },

    deployKeyPassphrase: () => keyPassphrase || undefined,
  };
};

export const openProjectId = (state: AirsprayState): string | null => state.currentProject?.id ?? null;

/** Whether project `id` is still the open one: an answer for a project the operator left is dropped. */
export const isStillOpen = (state: AirsprayState, id: string): boolean => state.currentProject?.id === id;

/** The typed passphrase as call params; none when nothing was typed. */
export function keyPassphraseParam(state: AirsprayState): { keyPassphrase?: string } {
  const keyPassphrase = state.deployKeyPassphrase();
  return keyPassphrase ? { keyPassphrase } : {};
}

export interface SshCallParams {
  projectId: string;
  credentialId: string;
  keyPassphrase?: string;
}

/**
 * Params for a call that logs in to the hosts of the open project: null when no project is open, else a refusal when
 * no profile is chosen.
 */
export function sshCallParams(state: AirsprayState): SshCallParams | FieldError | null {
  const projectId = openProjectId(state);
  if (!projectId) return null;
  const credentialId = state.selectedCredentialId;
  if (!credentialId) return { message: formatIn(state.locale, 'session.noSudoProfile'), field: 'credentialId' };
  return { projectId, credentialId, ...keyPassphraseParam(state) };
}

export const isRefusal = (params: SshCallParams | FieldError): params is FieldError => !('projectId' in params);
