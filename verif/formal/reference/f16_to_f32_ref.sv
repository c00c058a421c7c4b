// Hand-written reference of binary16 -> binary32 conversion (exact; IEEE 754 semantics with the
// project's canonical NaN), independent of the generator:
//   NaN -> 32'h7FC00000; +-Inf -> +-Inf; +-0 -> +-0;
//   normal (e, f)      -> {s, e - 15 + 127, f, 13'b0};
//   subnormal f * 2^-24 with its leading one at bit p -> {s, p - 24 + 127, bits below the leading one}.
module F16ToF32Ref (
  input  logic [15:0] a,
  output logic [31:0] y
);
  wire       s = a[15];
  wire [4:0] e = a[14:10];
  wire [9:0] f = a[9:0];

  integer i;
  logic [3:0]  p;      // position of the leading one of a subnormal's fraction
  logic [23:0] shifted;

  always_comb begin
    p = 4'd0;
    for (i = 0; i < 10; i = i + 1)
      if (f[i]) p = i[3:0];
    shifted = {14'd0, f} << (5'd23 - {1'b0, p});
    if (e == 5'd31)
      y = (f != 10'd0) ? 32'h7FC00000 : {s, 8'hFF, 23'd0};
    else if (e == 5'd0 && f == 10'd0)
      y = {s, 31'd0};
    else if (e != 5'd0)
      y = {s, {3'b000, e} + 8'd112, f, 13'd0};
    else
      y = {s, 8'd103 + {4'd0, p}, shifted[22:0]};
  end
endmodule
