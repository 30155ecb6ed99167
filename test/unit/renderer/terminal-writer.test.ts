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

  it('accounts input left out upstream as written, behind a colour reset, in order with the bytes around it', () => {
    const terminal = slowTerminal();
    const inputs: number[] = [];
    const writer = new TerminalWriter(
      (data, inputBytes, ack) => {
        inputs.push(inputBytes);
        terminal.write(data, inputBytes, ack);
      },
      { chunkBytes: 10, highWaterBytes: 1000 },
    );
    writer.push(filled(4, 1));
    // Written at once: nothing else waits.
    writer.skip(500);
    writer.push(filled(3, 2));
    writer.skip(20);
    const reset = [...new TextEncoder().encode('\x1b[0m')];
    expect(terminal.writes.map((write) => Array.from(write.data))).toEqual([[1, 1, 1, 1], reset, [2, 2, 2], reset]);
    expect(inputs).toEqual([4, 500, 3, 20]);
    expect(writer.skippedBytes).toBe(520);
  });

  it('has room once everything is handed over and at most half its window is unparsed', async () => {
    const terminal = slowTerminal();
    const writer = new TerminalWriter(terminal.write, { chunkBytes: 10, highWaterBytes: 20 });
    for (let value = 0; value < 4; value++) writer.push(filled(10, value));
    let roomy = false;
    void writer.room().then(() => (roomy = true));
    const ackNext = async () => {
      terminal.writes.find((write) => write.ack)!.ack();
      terminal.writes.find((write) => write.ack)!.ack = undefined as unknown as () => void;
      await Promise.resolve();
    };
    const pending = () => terminal.writes.filter((write) => write.ack);
    expect(pending()).toHaveLength(2);
    await ackNext();
    await ackNext();
    // All four handed over, 20 bytes unparsed: not yet.
    expect(roomy).toBe(false);
    await ackNext();
    expect(roomy).toBe(true);
  });
});
