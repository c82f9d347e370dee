import { mapConcurrently } from './map-concurrently';

describe('mapConcurrently', () => {
  it('maps with a bounded number of calls in flight, answers in the order of the items', async () => {
    let inFlight = 0;
    let most = 0;
    const answers = await mapConcurrently([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight--;
      return n * 10;
    });
    expect(answers).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});
