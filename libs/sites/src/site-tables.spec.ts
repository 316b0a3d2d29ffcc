import { CellEstimates } from './site-tables';
import { estimateCells } from './stats/sonic-length';

describe('CellEstimates', () => {
  const a = [[100, 140, 230], [90], [300, 310, 320, 500]];
  const b = [
    [100, 140, 230],
    [90, 95],
    [300, 310, 320, 500],
  ];

  it('gives what estimateCells gives, for a repeated input and a changed one', () => {
    const cells = new CellEstimates();
    const first = cells.of(a);
    expect(first).toEqual(estimateCells(a).cells);
    expect(cells.of(a.map((l) => [...l]))).toBe(first); // same lengths: the same estimate, reused
    const changed = cells.of(b);
    expect(changed).toEqual(estimateCells(b).cells);
    expect(changed).not.toEqual(first);
    expect(cells.of(a.slice(0, 2))).toEqual(estimateCells(a.slice(0, 2)).cells);
  });
});
