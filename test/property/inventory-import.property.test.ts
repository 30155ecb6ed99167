import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, it } from 'vitest';
import { inventoryToPlan, readGroupVarsFile } from '../../electron/node/inventory/parse-inventory';
import { expectOnlyAirsprayErrors, propertyRuns, prototypeNames } from './only-airspray-errors';

// Names from a small pool so groups nest, repeat and form cycles; hostile names are in the pool too.
const name = fc.constantFrom(
  'all',
  'k8s_cluster',
  'k8s-cluster',
  'kube_control_plane',
  'kube-master',
  'kube_node',
  'etcd',
  'calico_rr',
  'bastion',
  'node1',
  'node2',
  '10.0.0.1',
  'a b',
  '[x:y]',
  '"q"',
  '',
  ...prototypeNames,
);
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('10.0.0.5', 'http://10.0.0.1:8080/', 'calico', 'v1.27.10', '*anchor', '!!binary x'),
);
const variableName = fc.oneof(
  fc.constantFrom(
    'ansible_host',
    'ip',
    'access_ip',
    'ansible_port',
    'ansible_user',
    'kube_network_plugin',
    'kube_proxy_mode',
    'kube_pods_subnet',
    'kube_service_addresses',
    'cluster_name',
    'files_repo',
    'registry_host',
    'ntp_servers',
    'ansible_password',
    'dns_mode',
    'kube_version',
    'upstream_dns_servers',
  ),
  name,
);
const variables = fc.dictionary(
  variableName,
  fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(name, scalar, { maxKeys: 2 })),
  { maxKeys: 4 },
);

const groupBody: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  body: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    scalar,
    fc.record(
      {
        hosts: fc.oneof(fc.dictionary(name, fc.oneof(variables, scalar, fc.constant(null)), { maxKeys: 4 }), scalar),
        vars: fc.oneof(variables, scalar),
        children: fc.oneof(fc.dictionary(name, tie('body'), { maxKeys: 3 }), scalar),
      },
      { requiredKeys: [] },
    ),
  ),
})).body;
const yamlDocument = fc.oneof(
  fc.dictionary(name, groupBody, { maxKeys: 3 }).map((document) => stringify(document)),
  fc.oneof(scalar, fc.array(scalar)).map((value) => stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    'a: &a [*a]',
    'a: &x 1\nb: *y',
    '{',
    'all: !!python/object:os.system x',
    'a: [' + '[]'.repeat(50),
    'x: &a [&b [*a, *b]]',
  ),
);

const iniLine = fc.oneof(
  fc.tuple(name, fc.constantFrom('', ':vars', ':children', ':other', ':')).map(([group, kind]) => `[${group}${kind}]`),
  fc
    .tuple(
      name,
      fc.array(
        fc.tuple(
          variableName,
          fc.oneof(
            fc.string({ maxLength: 10 }),
            fc.constantFrom('"a b"', "'x'", '"', "'", '=', '[1,2]', '{"a":1}', 'True', '0x10', '1e5'),
          ),
        ),
        { maxLength: 3 },
      ),
    )
    .map(([host, vars]) => [host, ...vars.map(([key, value]) => `${key}=${value}`)].join(' ')),
  fc.tuple(variableName, fc.string({ maxLength: 10 })).map(([key, value]) => `${key} = ${value}`),
  fc.constantFrom(
    'node[01:03]',
    'host ansible_host',
    '# comment',
    '; comment',
    'x # trailing',
    '   ',
    '[',
    ']',
    '[a:b:c]',
  ),
  fc.string({ maxLength: 30 }),
);
const iniDocument = fc
  .tuple(fc.array(iniLine, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'))
  .map(([lines, newline]) => lines.join(newline));
const groupVars = fc.dictionary(name, variables, { maxKeys: 3 });

describe('inventory import on hostile input', () => {
  it.each([
    ['YAML', 'the problem', yamlDocument, 'yaml', 'hosts.yaml'],
    ['INI', 'the line', iniDocument, 'ini', 'inventory.ini'],
  ] as const)('%s: imports a plan or throws an AirsprayError naming %s', async (_, __, document, kind, origin) => {
    await fc.assert(
      fc.asyncProperty(document, groupVars, async (text, vars) => {
        await expectOnlyAirsprayErrors(() =>
          inventoryToPlan({ kind, text, origin, groupVars: vars }, { clusterName: 'fuzz' }),
        );
      }),
      { numRuns: propertyRuns },
    );
  });

  it('group_vars files: a mapping or an AirsprayError', async () => {
    await fc.assert(
      fc.asyncProperty(yamlDocument, async (text) => {
        await expectOnlyAirsprayErrors(() => readGroupVarsFile(text, 'group_vars/all/all.yml'));
      }),
      { numRuns: propertyRuns },
    );
  });
});
