import Synchronization

/// The API's own counters, appended to `/metrics` as Prometheus text.
public final class APIMetrics: Sendable {
    /// Responses by status class.
    let class1xx = Atomic<Int>(0)
    let class2xx = Atomic<Int>(0)
    let class3xx = Atomic<Int>(0)
    let class4xx = Atomic<Int>(0)
    let class5xx = Atomic<Int>(0)
    let rateLimited = Atomic<Int>(0)
    let auditRows = Atomic<Int>(0)
    let auditFailures = Atomic<Int>(0)
    let osmandFixes = Atomic<Int>(0)

    public init() {}

    func count(status: Int) {
        switch status {
        case ..<200: class1xx.add(1, ordering: .relaxed)
        case 200..<300: class2xx.add(1, ordering: .relaxed)
        case 300..<400: class3xx.add(1, ordering: .relaxed)
        case 400..<500: class4xx.add(1, ordering: .relaxed)
        default: class5xx.add(1, ordering: .relaxed)
        }
    }

    /// Prometheus text of these counters.
    public func render() -> String {
        var text = "# HELP fieldtrace_api_responses_total API responses by status class.\n"
        text += "# TYPE fieldtrace_api_responses_total counter\n"
        let classes = [
            class1xx.load(ordering: .relaxed), class2xx.load(ordering: .relaxed), class3xx.load(ordering: .relaxed),
            class4xx.load(ordering: .relaxed), class5xx.load(ordering: .relaxed),
        ]
        for (i, value) in classes.enumerated() {
            text += "fieldtrace_api_responses_total{class=\"\(i + 1)xx\"} \(value)\n"
        }
        let counters: [(String, String, Int)] = [
            ("rate_limited_total", "Requests answered 429.", rateLimited.load(ordering: .relaxed)),
            ("audit_rows_total", "Audit rows written.", auditRows.load(ordering: .relaxed)),
            (
                "audit_failures_total", "Requests whose audit row could not be written (503).",
                auditFailures.load(ordering: .relaxed)
            ),
            ("osmand_fixes_total", "Fixes posted over OsmAnd and made durable.", osmandFixes.load(ordering: .relaxed)),
        ]
        for (name, help, value) in counters {
            text += "# HELP fieldtrace_api_\(name) \(help)\n# TYPE fieldtrace_api_\(name) counter\n"
            text += "fieldtrace_api_\(name) \(value)\n"
        }
        return text
    }
}
