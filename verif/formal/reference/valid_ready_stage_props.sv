// Bounded-proof harness of the valid/ready register slice (hdl-gen/lib/valid-ready-stage.ts,
// printed as ValidReadyStage_width4): the stage is reset in the first cycle, then inputs are free.
// Every accepted beat carries its sequence number (in_data = number of beats accepted so far), so
//   - order kept and no duplication: a delivered beat is the n-th delivered beat's number;
//   - no loss: held beats (accepted - delivered) are always offered (out_valid), never more than 2;
//   - full throughput: in_ready exactly when there is room (held < 2);
//   - protocol: a stalled output (valid, not ready) keeps valid and data in the next cycle.
module ValidReadyStageProps (
  input logic clk,
  input logic in_valid,
  input logic out_ready
);
  logic started = 1'b0;
  logic [7:0] accepted = 8'd0;
  logic [7:0] delivered = 8'd0;
  logic stalled = 1'b0;
  logic [3:0] stalled_data = 4'd0;

  logic       in_ready;
  logic       out_valid;
  logic [3:0] out_data;
  wire  [7:0] held = accepted - delivered;

  ValidReadyStage_width4 dut (
    .clk       (clk),
    .rst       (~started),
    .in_valid  (in_valid),
    .in_ready  (in_ready),
    .in_data   (accepted[3:0]),
    .out_valid (out_valid),
    .out_ready (out_ready),
    .out_data  (out_data)
  );

  always @(posedge clk) begin
    started <= 1'b1;
    if (started && in_valid && in_ready) accepted <= accepted + 8'd1;
    if (started && out_valid && out_ready) delivered <= delivered + 8'd1;
    stalled <= started && out_valid && !out_ready;
    stalled_data <= out_data;
  end

  always @* begin
    if (started) begin
      assert (held <= 8'd2);
      assert (out_valid == (held != 8'd0));
      assert (in_ready == (held < 8'd2));
      if (out_valid) assert (out_data == delivered[3:0]);
    end
    if (stalled) begin
      assert (out_valid);
      assert (out_data == stalled_data);
    end
  end
endmodule
