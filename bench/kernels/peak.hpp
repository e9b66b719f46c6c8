// Machine ceilings for the kernel benchmarks: core frequency from a calibrated chain of
// dependent integer adds (1 cycle each on every x86 / Arm core of the last decade), and the
// sustained throughput of the multiply instructions the i8 kernels use, on one core.
#pragma once

namespace earshot::bench {

// Cycles per second of the core running the caller (dependent-add chain, ~50 ms).
double measure_frequency_hz();

// Multiply-accumulates (int8 x int8) per cycle of the inner-loop instruction sequence of the
// named i8 variant, run on independent accumulators so only throughput limits it; 0 if the
// variant has no peak kernel here or the CPU lacks it.
double measure_i8_macs_per_cycle(const char* variant, double hz);

}  // namespace earshot::bench
