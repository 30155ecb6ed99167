import { describe, expect, it } from 'vitest';
import { DigestPacer } from '../../../../electron/node/runs/digest-pacer';

/** A digester that records what reached it; the clock is the test's. */
function setup() {
  const pushed: string[] = [];
  let now = 0;
  const pacer = new DigestPacer(
    { push: (data, handOver) => pushed.push(`${data.toString()}${handOver ? '*' : ''}`) },
    { holdBytes: 10, holdMs: 1000 },
    () => now,
  );
  return { pacer, pushed, advance: (ms: number) => (now += ms) };
}

const piece = (text: string) => Buffer.from(text);

describe('DigestPacer', () => {
  it('passes output straight on while the views keep up', () => {
    const { pacer, pushed } = setup();
    pacer.push(piece('a'), false, false);
    pacer.push(piece('b'), true, false);
    expect(pushed).toEqual(['a', 'b*']);
  });

  it('holds output while the views are far behind, and passes it on in order once they keep up again', () => {
    const { pacer, pushed } = setup();
    pacer.push(piece('a'), true, true);
    pacer.push(piece('b'), false, true);
    expect(pushed).toEqual([]);
    pacer.push(piece('c'), false, false);
    expect(pushed).toEqual(['a*', 'b', 'c']);
  });

  it('passes held output on once it holds holdBytes, once holdMs passed since the first held, and on flush', () => {
    const { pacer, pushed, advance } = setup();
    pacer.push(piece('12345'), false, true);
    pacer.push(piece('67890'), false, true);
    expect(pushed).toEqual(['12345', '67890']);
    pacer.push(piece('x'), false, true);
    advance(999);
    pacer.push(piece('y'), false, true);
    expect(pushed).toHaveLength(2);
    advance(1);
    pacer.push(piece('z'), false, true);
    expect(pushed).toEqual(['12345', '67890', 'x', 'y', 'z']);
    pacer.push(piece('end'), false, true);
    pacer.flush();
    expect(pushed.at(-1)).toBe('end');
    pacer.flush();
    expect(pushed).toHaveLength(6);
  });
});
