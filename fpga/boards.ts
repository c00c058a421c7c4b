/**
 * Boards the flows know: their FPGA, clock and the pins a self-test top uses. A board top (see
 * board-tops.ts) names each of its ports by one of these roles; every board maps every role.
 *
 * Sources: the iCEBreaker and HX8K breakout pinouts as in YosysHQ/icestorm's example PCFs, the
 * Digilent Arty A7 master XDC, the Terasic DE10-Lite manual.
 */
export type BoardRole = 'clock' | 'reset' | 'led_done' | 'led_pass' | 'led_fail';
export const BOARD_ROLES: readonly BoardRole[] = ['clock', 'reset', 'led_done', 'led_pass', 'led_fail'];

export type FpgaFamily = 'ice40' | 'xilinx' | 'intel';

export interface BoardPin {
  readonly pin: string;
  /** What is on the pin, for the pinout table. */
  readonly label: string;
}

export interface Board {
  readonly id: string;
  readonly name: string;
  readonly family: FpgaFamily;
  /** ice40: nextpnr device (up5k, hx8k); xilinx: part; intel: device. */
  readonly device: string;
  /** ice40 package (sg48, ct256); intel family name; xilinx: unused. */
  readonly package: string;
  readonly clockMHz: number;
  /** I/O standard (Vivado IOSTANDARD / Quartus IO_STANDARD); ice40 needs none. */
  readonly ioStandard?: string;
  readonly pins: Readonly<Record<BoardRole, BoardPin>>;
  /** How to use the reset input on this board. */
  readonly resetNote: string;
}

export const BOARDS: readonly Board[] = [
  {
    id: 'icebreaker',
    name: 'iCEBreaker v1.0 (iCE40UP5K-SG48)',
    family: 'ice40',
    device: 'up5k',
    package: 'sg48',
    clockMHz: 12,
    pins: {
      clock: { pin: '35', label: '12 MHz oscillator (CLK)' },
      reset: { pin: '20', label: 'BTN1 on the snap-off PMOD2 board (active high)' },
      led_done: { pin: '27', label: 'LED1 on the snap-off PMOD2 board' },
      led_pass: { pin: '25', label: 'LED2 on the snap-off PMOD2 board' },
      led_fail: { pin: '21', label: 'LED3 on the snap-off PMOD2 board' },
    },
    resetNote: 'keep the snap-off PMOD2 section attached (BTN1 and LED1-3 are on it); press BTN1 to rerun',
  },
  {
    id: 'ice40-hx8k-breakout',
    name: 'iCE40-HX8K Breakout Board (iCE40HX8K-CT256)',
    family: 'ice40',
    device: 'hx8k',
    package: 'ct256',
    clockMHz: 12,
    pins: {
      clock: { pin: 'J3', label: '12 MHz oscillator' },
      reset: { pin: 'C14', label: 'header J2 (floating: tie to GND to run, to 3.3 V to hold reset)' },
      led_done: { pin: 'B5', label: 'LED D2 (LED0)' },
      led_pass: { pin: 'B4', label: 'LED D3 (LED1)' },
      led_fail: { pin: 'A2', label: 'LED D4 (LED2)' },
    },
    resetNote: 'the board has no user button: tie header pin C14 to GND (a jumper); raise it to rerun',
  },
  {
    id: 'arty-a7-35t',
    name: 'Digilent Arty A7-35T (XC7A35TICSG324-1L)',
    family: 'xilinx',
    device: 'xc7a35ticsg324-1L',
    package: '',
    clockMHz: 100,
    ioStandard: 'LVCMOS33',
    pins: {
      clock: { pin: 'E3', label: '100 MHz oscillator (CLK100MHZ)' },
      reset: { pin: 'D9', label: 'BTN0 (active high)' },
      led_done: { pin: 'H5', label: 'LD4 (led[0])' },
      led_pass: { pin: 'J5', label: 'LD5 (led[1])' },
      led_fail: { pin: 'T9', label: 'LD6 (led[2])' },
    },
    resetNote: 'press BTN0 to rerun',
  },
  {
    id: 'de10-lite',
    name: 'Terasic DE10-Lite (MAX 10 10M50DAF484C7G)',
    family: 'intel',
    device: '10M50DAF484C7G',
    package: 'MAX 10',
    clockMHz: 50,
    ioStandard: '3.3-V LVTTL',
    pins: {
      clock: { pin: 'PIN_P11', label: '50 MHz oscillator (MAX10_CLK1_50)' },
      reset: { pin: 'PIN_C10', label: 'SW0 (up = reset held)' },
      led_done: { pin: 'PIN_A8', label: 'LEDR0' },
      led_pass: { pin: 'PIN_A9', label: 'LEDR1' },
      led_fail: { pin: 'PIN_A10', label: 'LEDR2' },
    },
    resetNote: 'keep SW0 down; flip it up and down to rerun (the KEY buttons are active low)',
  },
];

export function findBoard(id: string): Board | undefined {
  return BOARDS.find((b) => b.id === id);
}

/** The iCE40 devices and packages the ice40 flow accepts (nextpnr-ice40 names). */
export const ICE40_DEVICES: Readonly<Record<string, { readonly packages: readonly string[]; readonly defaultPackage: string }>> = {
  up5k: { packages: ['sg48', 'uwg30'], defaultPackage: 'sg48' },
  hx8k: { packages: ['ct256', 'cb132', 'cm225', 'bg121'], defaultPackage: 'ct256' },
};

/** The ice40 board with this device and package, if any. */
export function ice40Board(device: string, pkg: string): Board | undefined {
  return BOARDS.find((b) => b.family === 'ice40' && b.device === device && b.package === pkg);
}
