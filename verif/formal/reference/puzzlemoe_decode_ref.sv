// Hand-written reference of the PuzzleMoE decode rule (/work/shared/specs/puzzlemoe.md, "Decode"),
// independent of the generator: for position p of every packed 16-bit word,
//   mask bit (13 - p) == 0  ->  +0 (16'h0000), whatever the sign bit says;
//   otherwise               ->  bf16 { sign bit (15 - p), E = e5 + OFFSET, mantissa word[6:0] }.
// E is formed with a plain 8-bit adder (the spec's rule), not the generator's adder-free mux.
// Handshake of the combinational unit: in_ready = out_ready, out_valid = in_valid.
module PuzzleMoeDecodeRef #(
  parameter LANES = 4,
  parameter OFFSET = 112
) (
  input  logic                 in_valid,
  output logic                 in_ready,
  input  logic [16*LANES-1:0]  in_words,
  output logic                 out_valid,
  input  logic                 out_ready,
  output logic [16*LANES-1:0]  out_lane0,
  output logic [16*LANES-1:0]  out_lane1
);
  localparam [7:0] OFFSET8 = OFFSET;

  assign in_ready = out_ready;
  assign out_valid = in_valid;

  genvar k;
  generate
    for (k = 0; k < LANES; k = k + 1) begin : word
      wire [15:0] w = in_words[16*k +: 16];
      wire [7:0] e = {3'b000, w[11:7]} + OFFSET8;
      assign out_lane0[16*k +: 16] = w[13] ? {w[15], e, w[6:0]} : 16'h0000;
      assign out_lane1[16*k +: 16] = w[12] ? {w[14], e, w[6:0]} : 16'h0000;
    end
  endgenerate
endmodule
