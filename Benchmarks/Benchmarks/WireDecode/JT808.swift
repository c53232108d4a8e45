import Benchmark
import FieldtraceCore
import FieldtraceWire

/// PLACEHOLDER: JT808 decode benchmarks are added with the decoder.
func jt808Benchmarks() {}
