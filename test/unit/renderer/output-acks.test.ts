import { describe, expect, it } from 'vitest';
import { OutputAcks } from '../../../renderer/features/deploy/output-acks';

/** Acknowledgements the test answers one by one, as a slow core would. */
function setup(everyBytes = 100) {
  const sent: number[] = [];
  const sentTold: [number, number][] = [];
  const answers: (() => void)[] = [];
  const acks = new OutputAcks((shown, told) => {
    sent.push(shown);
    sentTold.push([shown, told]);
    return new Promise<void>((resolve) => answers.push(resolve));
  }, everyBytes);
  const answer = async () => {
    answers.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { acks, sent, sentTold, answer };
}

describe('OutputAcks', () => {
  it('announces the view at once, then acknowledges every `everyBytes` written, one acknowledgement in flight', async () => {
    const { acks, sent, answer } = setup();
    acks.written(0, true);
    acks.written(150, false);
    expect(sent).toEqual([0]);
    await answer();
    expect(sent).toEqual([0, 150]);
    acks.written(200, false);
    acks.written(260, false);
    await answer();
    expect(sent).toEqual([0, 150, 260]);
    acks.written(300, false);
    await answer();
    expect(sent).toEqual([0, 150, 260]);
  });

  it('acknowledges whatever was written when the terminal has caught up', async () => {
    const { acks, sent, answer } = setup();
    acks.written(0, true);
    await answer();
    acks.written(10, false);
    acks.written(20, true);
    expect(sent).toEqual([0, 20]);
  });

  it('acknowledges the length a far-behind view was told of every `everyBytes`, with what its terminal has written', async () => {
    const { acks, sentTold, answer } = setup();
    acks.written(0, true);
    await answer();
    acks.told(50);
    expect(sentTold).toEqual([[0, 0]]);
    acks.told(120);
    expect(sentTold).toEqual([
      [0, 0],
      [0, 120],
    ]);
    acks.told(300);
    await answer();
    expect(sentTold).toEqual([
      [0, 0],
      [0, 120],
      [0, 300],
    ]);
    // Told of less than before (an event out of order): nothing new to say.
    acks.told(200);
    await answer();
    expect(sentTold).toHaveLength(3);
    acks.written(40, true);
    expect(sentTold).toEqual([
      [0, 0],
      [0, 120],
      [0, 300],
      [40, 300],
    ]);
  });
});
