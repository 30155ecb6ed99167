import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerDeployCommands } from '../../../../electron/node/cli/deploy-commands';

const sourcesCommand = () => {
  const program = new Command('airspray');
  registerDeployCommands(program);
  const deploy = program.commands.find((command) => command.name() === 'deploy');
  return deploy?.commands.find((command) => command.name() === 'sources');
};

describe('airspray deploy sources', () => {
  it('offers point and restore, each with its own help and a repeatable --host', () => {
    const sources = sourcesCommand();
    expect(sources?.commands.map((command) => command.name())).toEqual(['point', 'restore']);
    const [point, restore] = sources!.commands;
    expect(point!.description()).toMatch(
      /^Save each host's apt sources aside and point apt at the deploy node's repos/,
    );
    expect(restore!.description()).toMatch(/^Put back the apt sources 'deploy sources point' saved, byte for byte/);
    for (const command of [point!, restore!]) {
      command.parseOptions(['--host', 'node1', '--host', 'node2']);
      expect(command.opts().host).toEqual(['node1', 'node2']);
      expect(command.options.map((option) => option.long)).toEqual(expect.arrayContaining(['--project', '--json']));
    }
  });
});
