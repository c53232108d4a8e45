import Benchmark
import FieldtraceCore
import FieldtraceWire

/// PLACEHOLDER: Teltonika decode benchmarks are added with the decoder.
func teltonikaBenchmarks() {}
