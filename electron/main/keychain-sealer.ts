import { safeStorage } from 'electron';
import type { SecretSealer } from '../node/access/credential-vault';

/** Seals credential profiles with the OS keychain; refuses where Electron would fall back to plain text. */
export const keychainSealer: SecretSealer = {
  unavailableReason: () => {
    if (!safeStorage.isEncryptionAvailable()) return 'the OS keychain is not available';
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return 'no keyring runs on this Linux desktop, so it would be stored as plain text';
    }
    return undefined;
  },
  seal: (text) => safeStorage.encryptString(text),
  unseal: (data) => safeStorage.decryptString(data),
};
