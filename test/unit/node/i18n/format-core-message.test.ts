import { describe, expect, it } from 'vitest';
import { coreMessageIds } from '../../../../electron/common/core-messages';
import { planRuleIds, planFindingMessageId } from '../../../../electron/common/plan-validation';
import { coreError, formatCoreMessage } from '../../../../electron/node/i18n/format-core-message';

describe('core messages in English (what the CLI prints)', () => {
  it('every plan rule has a message', () => {
    expect(planRuleIds.map(planFindingMessageId).filter((id) => !coreMessageIds.includes(id))).toEqual([]);
  });

  it('fills values in, keeping numbers as the core gave them (no grouping, as the CLI always printed)', () => {
    expect(formatCoreMessage('plan.etcd-odd', { count: 2, fewer: 1, more: 3 })).toBe(
      '2 etcd members: etcd needs an odd number to keep quorum (kubespray refuses even counts). Use 1 or 3.',
    );
    expect(
      formatCoreMessage('plan.memory-too-small', { need: 'recommended', host: 'lab1', memory: 2048, minimum: 4096 }),
    ).toBe('lab1 has 2048 MiB of memory; 4096 MiB or more is recommended for a control plane.');
  });

  it('chooses by select and plural, as react-intl does in the window', () => {
    const carried = (carriedCount: number, list: string) =>
      formatCoreMessage('plan.network-plugin-not-in-bundle', {
        plugin: 'cilium',
        bundle: 'b1',
        carriedCount,
        carried: list,
      });
    expect(carried(0, '')).toBe('Network plugin cilium is not in bundle b1 (it carries none): choose one of those.');
    expect(carried(2, 'calico, flannel')).toContain('(it carries calico, flannel)');
    expect(formatCoreMessage('plan.deploy-node-required', { chosen: 'no', deployNode: '' })).toMatch(
      /^No deploy node chosen/,
    );
  });

  it('refuses a message whose value is missing rather than printing a hole', () => {
    expect(() => formatCoreMessage('plan.host-without-role', {})).toThrow(/host/);
  });

  it("builds an error from the catalog: the CLI's English as its message, the id and values beside it", () => {
    const error = coreError(
      'conflict',
      'ssh.host-key-list-unreadable',
      { lines: '2, 3, 4, 5, 6', moreCount: 3 },
      'list',
    );
    expect(error).toMatchObject({
      code: 'conflict',
      field: 'list',
      i18n: { id: 'ssh.host-key-list-unreadable', params: { lines: '2, 3, 4, 5, 6', moreCount: 3 } },
    });
    // The English the CLI printed before the message had an id, byte for byte.
    expect(error.message).toBe(
      'The host key list cannot be read at line 2, 3, 4, 5, 6 and 3 more: give known_hosts lines (host type base64) or "host SHA256:fingerprint" lines.',
    );
    expect(
      formatCoreMessage('ssh.host-key-changed', {
        where: 'lab1:22',
        fingerprint: 'SHA256:new',
        knownCount: 0,
        known: '',
      }),
    ).toBe(
      "HOST KEY CHANGED for lab1:22: it presented SHA256:new but a revoked key is on record. This may be a man in the middle or a reinstalled host: stop, and confirm on the host's console before removing the old key from known_hosts.",
    );
  });
});
