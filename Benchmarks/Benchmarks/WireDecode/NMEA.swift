import Benchmark
import FieldtraceCore
import FieldtraceWire

/// PLACEHOLDER: NMEA decode benchmarks are added with the decoder.
func nmeaBenchmarks() {}
