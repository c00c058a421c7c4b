import { describe, expect, it } from 'vitest';
import { parseTrace, serializeTrace, synthesizeTrace, type SyntheticKnobs } from '../../../../../hdl-gen/units/routing/golden/trace.ts';

const HEADER = '{"format":"moe-routing-trace-v1","layers":2,"experts":4,"k":2}';
const knobs: SyntheticKnobs = { tokens: 3000, layers: 4, experts: 16, k: 4, skew: 0.8, locality: 0.5, accuracy: 0.9, acceptance: 0.8, fallback: 0.2, seed: 7 };

describe('routing trace format', () => {
  it('parses the documented format with defaults for optional keys, and round-trips', () => {
    const text = `${HEADER}\n{"ids":[[0,1],[3,2]]}\n\n{"ids":[[2,1],[0,3]],"pred":[[2,0],[0,3]],"important":true,"accept":false}\n`;
    const t = parseTrace(text, 't.jsonl');
    expect(t.header).toEqual({ layers: 2, experts: 4, k: 2 });
    expect(t.tokens).toEqual([
      { ids: [[0, 1], [3, 2]], pred: undefined, important: false, accept: true },
      { ids: [[2, 1], [0, 3]], pred: [[2, 0], [0, 3]], important: true, accept: false },
    ]);
    expect(parseTrace(serializeTrace(t), 'again')).toEqual(t);
  });

  it('names the file, line and key of every error', () => {
    const bad = (body: string) => () => parseTrace(`${HEADER}\n${body}\n`, 't.jsonl');
    expect(() => parseTrace('{"layers":2}\n', 'h.jsonl')).toThrow('h.jsonl:1: the first line must be the header {"format":"moe-routing-trace-v1","layers":L,"experts":E,"k":K}');
    expect(() => parseTrace('{"format":"moe-routing-trace-v1","layers":2,"experts":4,"k":5}', 'h.jsonl')).toThrow("h.jsonl:1: header 'k' must be an integer from 1 to 4, got 5");
    expect(bad('{"ids":[[0,1]]}')).toThrow("t.jsonl:2: 'ids' must be an array of 2 layers (one array of 2 expert ids each)");
    expect(bad('{"ids":[[0,1],[1]]}')).toThrow("t.jsonl:2: 'ids[1]' must hold 2 expert ids");
    expect(bad('{"ids":[[0,4],[1,2]]}')).toThrow("t.jsonl:2: 'ids[0]' has expert id 4, not an integer from 0 to 3");
    expect(bad('{"ids":[[1,1],[1,2]]}')).toThrow("t.jsonl:2: 'ids[0]' repeats an expert id (1, 1)");
    expect(bad('{"ids":[[0,1],[1,2]],"imp":true}')).toThrow("t.jsonl:2: unknown key 'imp' (expected ids, pred, important, accept)");
    expect(bad('{"ids":[[0,1],[1,2]],"accept":1}')).toThrow("t.jsonl:2: 'accept' must be true or false");
    expect(bad('{"ids":')).toThrow('t.jsonl:2: not valid JSON');
    expect(() => parseTrace(`${HEADER}\n`, 'e.jsonl')).toThrow('e.jsonl: the trace has a header but no tokens');
    expect(() => parseTrace('\n', 'e.jsonl')).toThrow('e.jsonl: empty trace (no header line)');
  });
});

describe('synthetic traces', () => {
  it('is deterministic per seed and valid (parses back)', () => {
    const a = synthesizeTrace({ ...knobs, tokens: 50 });
    expect(serializeTrace(a)).toBe(serializeTrace(synthesizeTrace({ ...knobs, tokens: 50 })));
    expect(serializeTrace(a)).not.toBe(serializeTrace(synthesizeTrace({ ...knobs, tokens: 50, seed: 8 })));
    expect(parseTrace(serializeTrace(a), 'x')).toEqual(a);
  });

  it('measured rates follow the knobs', () => {
    const t = synthesizeTrace(knobs);
    let same = 0;
    let total = 0;
    let reuse = 0;
    let slots = 0;
    t.tokens.forEach((tok, i) =>
      tok.ids.forEach((row, l) => {
        row.forEach((e, r) => {
          total++;
          if (tok.pred![l][r] === e) same++;
        });
        if (i > 0) {
          slots += row.length;
          reuse += row.filter((e) => t.tokens[i - 1].ids[l].includes(e)).length;
        }
      }),
    );
    const frac = (f: (x: (typeof t.tokens)[number]) => boolean) => t.tokens.filter(f).length / t.tokens.length;
    expect(same / total).toBeCloseTo(0.9, 1);
    expect(frac((x) => x.important)).toBeCloseTo(0.2, 1);
    expect(frac((x) => x.accept)).toBeCloseTo(0.8, 1);
    // reuse >= the locality knob (popularity draws also hit the previous set sometimes)
    expect(reuse / slots).toBeGreaterThan(0.5);
    const low = synthesizeTrace({ ...knobs, locality: 0 });
    let reuse0 = 0;
    low.tokens.forEach((tok, i) => i > 0 && tok.ids.forEach((row, l) => (reuse0 += row.filter((e) => low.tokens[i - 1].ids[l].includes(e)).length)));
    expect(reuse0 / slots).toBeLessThan(reuse / slots - 0.2);
  });

  it('draws a wrong prediction by the layer\'s popularity, never a true id', () => {
    // skew 2: ranks 0..2 of a layer carry most of the weight; a wrong id is never one of the token's true ids
    const t = synthesizeTrace({ ...knobs, tokens: 400, layers: 1, experts: 16, k: 2, skew: 2, locality: 0, accuracy: 0.5 });
    const trueCount = new Map<number, number>();
    const wrongCount = new Map<number, number>();
    for (const tok of t.tokens) {
      tok.ids[0].forEach((e) => trueCount.set(e, (trueCount.get(e) ?? 0) + 1));
      tok.pred![0].forEach((e) => {
        if (!tok.ids[0].includes(e)) wrongCount.set(e, (wrongCount.get(e) ?? 0) + 1);
      });
    }
    const wrong = [...wrongCount.values()].reduce((a, b) => a + b, 0);
    expect(wrong).toBeGreaterThan(300);
    // the 3 most routed-to experts also take most of the wrong predictions (a uniform draw would give ~3/14)
    const top3 = [...trueCount.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([e]) => e);
    expect(top3.reduce((a, e) => a + (wrongCount.get(e) ?? 0), 0) / wrong).toBeGreaterThan(0.4);
  });

  it('keeps predicted ids distinct even when K = E', () => {
    const t = synthesizeTrace({ ...knobs, tokens: 200, experts: 4, k: 4, accuracy: 0.3 });
    for (const tok of t.tokens) for (const row of tok.pred!) expect(new Set(row).size).toBe(4);
  });
});
