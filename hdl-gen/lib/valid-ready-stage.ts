import { Bits, Bool, defineModule, input, output } from '../index.ts';

/**
 * A full-throughput valid/ready register slice (skid buffer): one word per cycle with no bubbles,
 * `in_ready` comes from a register (no combinational path from `out_ready`), never loses or
 * duplicates a word. Latency 1.
 */
export const ValidReadyStage = defineModule({
  name: 'ValidReadyStage',
  io: (p: { width: number }) => ({
    in_valid: input(Bool()),
    in_ready: output(Bool()),
    in_data: input(Bits(p.width)),
    out_valid: output(Bool()),
    out_ready: input(Bool()),
    out_data: output(Bits(p.width)),
  }),
  body: (m, io, p) => {
    const outValid = m.reg('out_valid_r', Bool(), { init: 0 });
    const outData = m.reg('out_data_r', Bits(p.width));
    const skidValid = m.reg('skid_valid_r', Bool(), { init: 0 });
    const skidData = m.reg('skid_data_r', Bits(p.width));
    const inReady = skidValid.not();
    m.when(outValid.not().or(io.out_ready), () => {
      m.when(skidValid, () => {
        outData.set(skidData);
        outValid.set(true);
        skidValid.set(false);
      }).otherwise(() => {
        outData.set(io.in_data);
        outValid.set(io.in_valid);
      });
    }).otherwise(() => {
      m.when(io.in_valid.and(inReady), () => {
        skidValid.set(true);
        skidData.set(io.in_data);
      });
    });
    io.in_ready.set(inReady);
    io.out_valid.set(outValid);
    io.out_data.set(outData);
  },
});
