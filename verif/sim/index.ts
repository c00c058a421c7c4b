/** Cycle-accurate two-state simulation of the netlist IR (see ir-simulator.ts for the timing model). */
export { IrSimulator, SimulatorError, encode, type IrSimulatorOptions } from './ir-simulator.ts';
export { ReferenceInterpreter } from './reference-interpreter.ts';
export { flattenDesign, FlattenError, type FlatDesign, type FlatInstance, type FlatDomain, type FlatMemory } from './flatten.ts';
