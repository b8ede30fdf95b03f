import { describe, expect, it } from 'vitest';
import { parsePublishedResults } from './published.js';

const readme = `Intro.

Sanity checks:
- popularity counted over all interactions of all users (including the test items), ties broken by higher item id first, gives exactly
  HR@5 .0080, NDCG@5 .0044, HR@10 .0152, NDCG@10 .0068, HR@20 .0217, NDCG@20 .0084;
- leak-free popularity, counted over s[:-1] of every user only, same tie rule, gives
  HR@5 .0077, NDCG@5 .0042, HR@10 .0137, NDCG@10 .0061, HR@20 .0217, NDCG@20 .0081.

| model | HR@5 | NDCG@5 | HR@10 | NDCG@10 | HR@20 | NDCG@20 |
|---|---|---|---|---|---|---|
| PopRec | .0080 | .0044 | .0152 | .0068 | .0217 | .0084 |
| SASRec | .0387 | .0249 | .0605 | .0318 | .0902 | .0394 |

After.
`;

describe('published results in a dataset README', () => {
  it('reads the table and both popularity rows', () => {
    const published = parsePublishedResults(readme);
    expect(published.table.map((row) => row.model)).toEqual(['PopRec', 'SASRec']);
    expect(published.table[1]?.metrics['NDCG@10']).toBe(0.0318);
    expect(published.leakyPopularity?.['HR@10']).toBe(0.0152);
    expect(published.leakFreePopularity).toEqual({ 'HR@5': 0.0077, 'NDCG@5': 0.0042, 'HR@10': 0.0137, 'NDCG@10': 0.0061, 'HR@20': 0.0217, 'NDCG@20': 0.0081 });
  });

  it('reports nothing for a README without results', () => {
    expect(parsePublishedResults('# A dataset\n')).toEqual({ table: [], leakyPopularity: undefined, leakFreePopularity: undefined });
  });
});
