import Benchmark
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport

func simplifyBenchmarks() {
}
