import { describe, expect, it } from 'vitest';
import { TerminalWriter } from '../../../renderer/features/deploy/terminal-writer';

/** A terminal that acknowledges writes only when the test says so, as a busy renderer would. */
function slowTerminal() {
  const writes: { data: Uint8Array; ack: () => void }[] = [];
  return { writes, write: (data: Uint8Array, _inputBytes: number, ack: () => void) => writes.push({ data, ack }) };
}

const filled = (length: number, value: number) => new Uint8Array(length).fill(value);

describe('TerminalWriter', () => {
  it('batches small pieces into one write and splits big ones at the chunk size', () => {
    const terminal = slowTerminal();
    const writer = new TerminalWriter(terminal.write, { chunkBytes: 10, highWaterBytes: 1000 });
    writer.push(filled(3, 1));
    expect(terminal.writes.map((write) => write.data.length)).toEqual([3]);
    writer.push(filled(25, 2));
    expect(terminal.writes.map((write) => write.data.length)).toEqual([3, 10, 10, 5]);
  });

  it('stops writing while too much is unacknowledged, buffers, and resumes on acknowledgement without dropping', () => {
    const terminal = slowTerminal();
    const writer = new TerminalWriter(terminal.write, { chunkBytes: 10, highWaterBytes: 20 });
    for (let value = 0; value < 10; value++) writer.push(filled(10, value));
    expect(terminal.writes).toHaveLength(2);
    expect(writer.unacknowledgedBytes).toBe(20);
    expect(writer.waitingBytes).toBe(80);
    while (terminal.writes.some((write) => write.ack)) {
      const pending = terminal.writes.find((write) => write.ack);
      const ack = pending!.ack;
      pending!.ack = undefined as unknown as () => void;
      ack();
    }
    const written = Buffer.concat(terminal.writes.map((write) => write.data));
    expect(written).toEqual(Buffer.concat(Array.from({ length: 10 }, (_, value) => filled(10, value))));
    expect(writer.waitingBytes).toBe(0);
    expect(writer.unacknowledgedBytes).toBe(0);
  });
});
