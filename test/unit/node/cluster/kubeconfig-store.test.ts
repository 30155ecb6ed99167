import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeconfigFileName, KubeconfigStore } from '../../../../electron/node/cluster/kubeconfig-store';

const secretKey = 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpzZWNyZXQ=';
const kubeconfig = `kind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: ${secretKey}\n`;

async function folderText(folder: string): Promise<string> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return (await Promise.all(names.map((name) => readFile(join(folder, name), 'utf8')))).join('\n');
}

describe('the kubeconfig kept with the project', () => {
  it('is encrypted under the passphrase (0600): a new process opens it with the right one only', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'airspray-kubeconfig-'));
    expect(await new KubeconfigStore(() => folder).save('p1', kubeconfig, 'correct horse battery')).toBe('passphrase');
    expect(await folderText(folder)).not.toContain(secretKey);
    expect((await stat(join(folder, kubeconfigFileName))).mode & 0o777).toBe(0o600);

    const later = new KubeconfigStore(() => folder);
    expect(await later.openableNow('p1', 'passphrase')).toBe(false);
    await expect(later.open('p1', 'passphrase')).rejects.toMatchObject({
      field: 'passphrase',
      i18n: { id: 'cluster.kubeconfig-passphrase-required', params: {} },
    });
    await expect(later.open('p1', 'passphrase', 'wrong passphrase')).rejects.toMatchObject({
      i18n: { id: 'seal.passphrase-wrong', params: {} },
    });
    expect(await later.open('p1', 'passphrase', 'correct horse battery')).toBe(kubeconfig);
  });

  it('without a keychain or passphrase stays in memory only and says so after a restart', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'airspray-kubeconfig-'));
    const store = new KubeconfigStore(() => folder);
    expect(await store.save('p1', kubeconfig)).toBe('memory');
    expect(await store.open('p1', 'memory')).toBe(kubeconfig);
    expect(await readdir(folder)).toEqual([]);
    await expect(new KubeconfigStore(() => folder).open('p1', 'memory')).rejects.toMatchObject({
      code: 'not_found',
      i18n: { id: 'cluster.kubeconfig-memory-only', params: {} },
    });
  });

  it('refuses a damaged stored copy by name, with the fix', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'airspray-kubeconfig-'));
    await writeFile(join(folder, kubeconfigFileName), '{"formatVersion": 1, "protection": "passphr');
    await expect(
      new KubeconfigStore(() => folder).open('p1', 'passphrase', 'correct horse battery'),
    ).rejects.toMatchObject({
      code: 'conflict',
      i18n: { id: 'cluster.kubeconfig-damaged', params: { file: kubeconfigFileName } },
    });
  });
});
