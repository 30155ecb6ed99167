import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { noRoles, type ClusterHost } from '../../electron/common/cluster-plan';
import { ProjectStore } from '../../electron/node/projects/project-store';
import { startServe, type ServeProcess } from './airspray-serve';
import { facts } from './cluster-plans';
import { openProject } from './wizard-page';

/** `count` hosts node001… without roles, 100 to a /24 (10.0.1.x, 10.0.2.x…), as a data-center row would be. */
export function manyHosts(count: number): ClusterHost[] {
  return Array.from({ length: count }, (_, index) => {
    const address = `10.0.${Math.floor(index / 100) + 1}.${(index % 100) + 10}`;
    return {
      name: `node${String(index + 1).padStart(3, '0')}`,
      address,
      roles: { ...noRoles },
      facts: facts(address, 16384 - (index % 4) * 2048),
    };
  });
}

/**
 * A data folder holding one project named `name` whose plan has `count` hosts (written by the core's own store, as
 * discovery would leave it), served by `airspray serve`.
 */
export async function serveLargePlan(name: string, count: number): Promise<{ serve: ServeProcess; root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'airspray-large-plan-'));
  const dataDir = join(root, 'data');
  const store = new ProjectStore(dataDir);
  const project = await store.create(name);
  await store.update(project.id, project.revision, (current) => ({
    ...current,
    cluster: { ...current.cluster, hosts: manyHosts(count) },
  }));
  return { serve: await startServe(['--data-dir', dataDir]), root };
}

/**
 * Opens the project `name` in `page` and its Roles step, and waits for the host table. Locator waits, not
 * `expect.poll`: a bench file calls it outside any test.
 */
export async function openRolesStep(page: Page, name: string): Promise<void> {
  await openProject(page, new RegExp(name));
  await page.getByText('No project open', { exact: true }).waitFor({ state: 'detached', timeout: 15_000 });
  await page
    .getByRole('navigation', { name: 'Wizard steps' })
    .getByRole('button', { name: 'Roles', exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Roles' }).waitFor();
  await page.getByRole('table', { name: 'Hosts and roles' }).locator('tbody tr[data-host]').first().waitFor();
}
