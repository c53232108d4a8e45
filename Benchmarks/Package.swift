// swift-tools-version: 6.2
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its folder, which differs between clones.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

// Benchmarks live in their own package so `swift test` at the root never builds
// ordo-one/benchmark. Run: `swift package --package-path Benchmarks benchmark --target WireDecode`.
let package = Package(
    name: "FieldtraceBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "WireDecode",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FieldtraceCore", package: root),
                .product(name: "FieldtraceWire", package: root),
                .product(name: "FieldtraceTestSupport", package: root),
            ],
            path: "Benchmarks/WireDecode",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Store",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FieldtraceCore", package: root),
                .product(name: "FieldtraceStore", package: root),
                .product(name: "FieldtraceTestSupport", package: root),
            ],
            path: "Benchmarks/Store",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Analytics",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FieldtraceCore", package: root),
                .product(name: "FieldtraceAnalytics", package: root),
                .product(name: "FieldtraceTestSupport", package: root),
            ],
            path: "Benchmarks/Analytics",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Query",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FieldtraceCore", package: root),
                .product(name: "FieldtraceStore", package: root),
                .product(name: "FieldtraceQuery", package: root),
                .product(name: "FieldtraceTestSupport", package: root),
            ],
            path: "Benchmarks/Query",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Reports",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FieldtraceCore", package: root),
                .product(name: "FieldtraceReports", package: root),
                .product(name: "FieldtraceTestSupport", package: root),
            ],
            path: "Benchmarks/Reports",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
