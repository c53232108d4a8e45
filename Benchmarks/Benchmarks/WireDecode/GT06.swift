import Benchmark
import FieldtraceCore
import FieldtraceWire

/// PLACEHOLDER: GT06 decode benchmarks are added with the decoder.
func gt06Benchmarks() {}
