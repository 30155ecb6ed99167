// Child process for the crash-safety test: saves one project as fast as it can and reports each finished save.
import { ProjectStore } from '../../electron/node/projects/project-store';
import { wizardStepIds } from '../../electron/common/wizard';

const [dataDir, projectId] = process.argv.slice(2);
if (!dataDir || !projectId) throw new Error('usage: project-writer <dataDir> <projectId>');
const store = new ProjectStore(dataDir);

async function saveForever(): Promise<never> {
  let project = await store.open(projectId!);
  process.stdout.write(`ready ${project.revision}\n`);
  for (;;) {
    const step = wizardStepIds[(project.revision + 1) % wizardStepIds.length]!;
    project = await store.setStep(project.id, step, project.revision);
    process.stdout.write(`saved ${project.revision}\n`);
  }
}
void saveForever();
