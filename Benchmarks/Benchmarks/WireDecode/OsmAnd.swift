import Benchmark
import FieldtraceCore
import FieldtraceWire

/// PLACEHOLDER: OsmAnd decode benchmarks are added with the decoder.
func osmandBenchmarks() {}
