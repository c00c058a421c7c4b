import { Bool, SInt, Vec, defineModule, input, output } from '../index.ts';

/** One output-stationary PE: acc += a * b; a moves right, b moves down, one cycle per hop. */
export const IntMacPe = defineModule({
  name: 'IntMacPe',
  io: (p: { dataWidth: number; accWidth: number }) => ({
    clear: input(Bool()),
    a_in: input(SInt(p.dataWidth)),
    b_in: input(SInt(p.dataWidth)),
    a_out: output(SInt(p.dataWidth)),
    b_out: output(SInt(p.dataWidth)),
    acc: output(SInt(p.accWidth)),
  }),
  body: (m, io, p) => {
    const acc = m.reg('acc_r', SInt(p.accWidth), { init: 0 });
    const product = m.let('product', io.a_in.mulExpand(io.b_in).sext(p.accWidth));
    m.when(io.clear, () => acc.set(product)).otherwise(() => acc.set(acc.add(product)));
    io.a_out.set(m.regNext('a_r', io.a_in, { init: 0 }));
    io.b_out.set(m.regNext('b_r', io.b_in, { init: 0 }));
    io.acc.set(acc);
  },
});

/** A rows x cols grid of IntMacPe: activations enter on the left, weights on the top. */
export const IntMacArray = defineModule({
  name: 'IntMacArray',
  io: (p: { rows: number; cols: number; dataWidth: number; accWidth: number }) => ({
    clear: input(Bool()),
    a: input(Vec(SInt(p.dataWidth), p.rows)),
    b: input(Vec(SInt(p.dataWidth), p.cols)),
    acc: output(Vec(SInt(p.accWidth), p.rows * p.cols)),
  }),
  body: (m, io, p) => {
    const pe = { dataWidth: p.dataWidth, accWidth: p.accWidth };
    const grid = Array.from({ length: p.rows }, (_, r) => Array.from({ length: p.cols }, (_, c) => m.instance(`pe_${r}_${c}`, IntMacPe, pe)));
    for (let r = 0; r < p.rows; r++) {
      for (let c = 0; c < p.cols; c++) {
        const { io: pio } = grid[r][c];
        pio.clear.set(io.clear);
        pio.a_in.set(c === 0 ? io.a.at(r) : grid[r][c - 1].io.a_out);
        pio.b_in.set(r === 0 ? io.b.at(c) : grid[r - 1][c].io.b_out);
        io.acc.at(r * p.cols + c).set(pio.acc);
      }
    }
  },
});
