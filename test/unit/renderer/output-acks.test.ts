import { describe, expect, it } from 'vitest';
import { OutputAcks } from '../../../renderer/features/deploy/output-acks';

/** Acknowledgements the test answers one by one, as a slow core would. */
function setup(everyBytes = 100) {
  const sent: number[] = [];
  const answers: (() => void)[] = [];
  const acks = new OutputAcks((shown) => {
    sent.push(shown);
    return new Promise<void>((resolve) => answers.push(resolve));
  }, everyBytes);
  const answer = async () => {
    answers.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { acks, sent, answer };
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
});
