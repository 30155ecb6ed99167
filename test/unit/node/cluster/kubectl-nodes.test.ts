import { describe, expect, it } from 'vitest';
import { AirsprayError } from '../../../../electron/common/errors';
import { parseNodeList } from '../../../../electron/node/cluster/kubectl-nodes';

/** Shaped as kubectl 1.27 prints `get nodes -o json`, cut down to two nodes and the fields around the ones read. */
const nodeList = {
  apiVersion: 'v1',
  items: [
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock' },
        labels: {
          'kubernetes.io/hostname': 'node1',
          'node-role.kubernetes.io/control-plane': '',
          'node.kubernetes.io/exclude-from-external-load-balancers': '',
        },
        name: 'node1',
      },
      spec: { podCIDR: '10.233.64.0/24' },
      status: {
        addresses: [
          { address: '10.0.0.11', type: 'InternalIP' },
          { address: 'node1', type: 'Hostname' },
        ],
        conditions: [
          { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
          { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
        ],
        nodeInfo: { kubeletVersion: 'v1.27.10', containerRuntimeVersion: 'containerd://1.7.13' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        labels: { 'kubernetes.io/role': 'ingress', 'node-role.kubernetes.io/worker': 'true' },
        name: 'node2',
      },
      spec: {},
      status: {
        addresses: [{ address: '10.0.0.12', type: 'InternalIP' }],
        conditions: [
          {
            type: 'Ready',
            status: 'Unknown',
            reason: 'NodeStatusUnknown',
            message: 'Kubelet stopped posting node status.',
          },
        ],
        nodeInfo: { kubeletVersion: 'v1.26.13' },
      },
    },
  ],
  kind: 'List',
  metadata: { resourceVersion: '' },
};

describe('kubectl get nodes -o json', () => {
  it('gives each node its Ready condition, roles from its labels, kubelet version and address', () => {
    expect(parseNodeList(JSON.stringify(nodeList))).toEqual([
      { name: 'node1', ready: 'True', roles: ['control-plane'], kubeletVersion: 'v1.27.10', internalIp: '10.0.0.11' },
      {
        name: 'node2',
        ready: 'Unknown',
        readyMessage: 'Kubelet stopped posting node status.',
        roles: ['ingress', 'worker'],
        kubeletVersion: 'v1.26.13',
        internalIp: '10.0.0.12',
      },
    ]);
  });

  it('counts a node without a Ready condition as Unknown, as kubectl shows NotReady', () => {
    const [node] = parseNodeList(
      JSON.stringify({
        ...nodeList,
        items: [{ ...nodeList.items[1]!, status: { ...nodeList.items[1]!.status, conditions: [] } }],
      }),
    );
    expect(node!.ready).toBe('Unknown');
  });

  it('refuses output that is not JSON or not a node list, naming the problem', () => {
    const refusal = (text: string) => {
      try {
        parseNodeList(text);
      } catch (error) {
        expect(error).toBeInstanceOf(AirsprayError);
        expect((error as AirsprayError).field).toBe('nodes');
        return (error as AirsprayError).i18n;
      }
      throw new Error('accepted');
    };
    expect(refusal('The connection to the server 127.0.0.1:6443 was refused')).toMatchObject({
      id: 'cluster.nodes-not-json',
      params: { detail: expect.stringContaining('JSON') },
    });
    expect(refusal(JSON.stringify({ kind: 'Pod' }))).toMatchObject({
      id: 'cluster.nodes-not-a-list',
      params: { detail: expect.stringMatching(/^kind: /) },
    });
    expect(refusal(JSON.stringify({ ...nodeList, items: [{ metadata: { name: 'x' }, status: {} }] }))).toMatchObject({
      params: { detail: expect.stringContaining('items.0.status.nodeInfo') },
    });
  });
});
