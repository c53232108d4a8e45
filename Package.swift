// swift-tools-version: 6.2
import PackageDescription

/// Fuzz targets: one per protocol, each depending only on the pure wire module.
/// Built with `scripts/fuzz` (SwiftPM's `--sanitize=fuzzer --sanitize=address`, own scratch path).
let fuzzTargets = ["FuzzNMEA", "FuzzJT808", "FuzzTeltonika", "FuzzGT06", "FuzzOsmAnd"]

let package = Package(
    name: "Fieldtrace",
    products: [
        .library(name: "FieldtraceCore", targets: ["FieldtraceCore"]),
        .library(name: "FieldtraceWire", targets: ["FieldtraceWire"]),
        .library(name: "FieldtraceTestSupport", targets: ["FieldtraceTestSupport"]),
        .library(name: "FieldtraceAnalytics", targets: ["FieldtraceAnalytics"]),
        .library(name: "FieldtraceStore", targets: ["FieldtraceStore"]),
        .library(name: "FieldtraceIngest", targets: ["FieldtraceIngest"]),
        .library(name: "FieldtraceEngine", targets: ["FieldtraceEngine"]),
        .library(name: "FieldtraceDelivery", targets: ["FieldtraceDelivery"]),
        .library(name: "FieldtraceLoad", targets: ["FieldtraceLoad"]),
        .library(name: "FieldtraceQuery", targets: ["FieldtraceQuery"]),
        .library(name: "FieldtraceReports", targets: ["FieldtraceReports"]),
        .executable(name: "fieldtrace", targets: ["FieldtraceCLI"]),
    ] + fuzzTargets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // Tests only: reads /openapi.yaml as a YAML parser (a client) does.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(name: "FieldtraceCore"),
        .target(name: "FieldtraceWire", dependencies: ["FieldtraceCore"]),
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        .target(name: "FieldtraceTestSupport", dependencies: ["FieldtraceCore", "FieldtraceWire"]),
        .target(name: "FieldtraceAnalytics", dependencies: ["FieldtraceCore"]),
        .target(
            name: "FieldtraceStore",
            dependencies: [
                "FieldtraceCore", "FieldtraceAnalytics", "CLZ4", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "FieldtraceIngest",
            dependencies: [
                "FieldtraceCore", "FieldtraceWire", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "FieldtraceEngine", dependencies: ["FieldtraceCore", "FieldtraceAnalytics", "FieldtraceStore"]),
        .target(name: "FieldtraceQuery", dependencies: ["FieldtraceCore", "FieldtraceAnalytics", "FieldtraceStore"]),
        .target(
            name: "FieldtraceReports",
            dependencies: ["FieldtraceCore", "FieldtraceAnalytics", "FieldtraceStore", "FieldtraceQuery"]
        ),
        .target(
            name: "FieldtraceDelivery",
            dependencies: [
                "FieldtraceCore", "FieldtraceAnalytics", "FieldtraceStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "FieldtraceLoad",
            dependencies: [
                "FieldtraceCore", "FieldtraceWire", "FieldtraceTestSupport",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "FieldtraceAPI",
            dependencies: [
                "FieldtraceCore", "FieldtraceWire", "FieldtraceAnalytics", "FieldtraceStore", "FieldtraceQuery",
                "FieldtraceReports", "FieldtraceDelivery", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "FieldtraceCLI",
            dependencies: [
                "FieldtraceCore", "FieldtraceWire", "FieldtraceStore", "FieldtraceTestSupport", "FieldtraceLoad",
                "FieldtraceIngest", "FieldtraceEngine", "FieldtraceAnalytics", "FieldtraceQuery", "FieldtraceReports",
                "FieldtraceDelivery", "FieldtraceAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "FieldtraceCoreTests", dependencies: ["FieldtraceCore", "FieldtraceTestSupport"]),
        .testTarget(
            name: "FieldtraceWireTests",
            dependencies: ["FieldtraceCore", "FieldtraceWire", "FieldtraceTestSupport"]
        ),
        .testTarget(name: "CLZ4Tests", dependencies: ["CLZ4"]),
        .testTarget(name: "FieldtraceAnalyticsTests", dependencies: ["FieldtraceAnalytics", "FieldtraceTestSupport"]),
        .testTarget(
            name: "FieldtraceStoreTests",
            dependencies: ["FieldtraceStore", "FieldtraceAnalytics", "FieldtraceTestSupport"]
        ),
        .testTarget(name: "FieldtraceTestSupportTests", dependencies: ["FieldtraceTestSupport"]),
        .testTarget(
            name: "FieldtraceIngestTests",
            dependencies: [
                "FieldtraceIngest", "FieldtraceTestSupport", "FieldtraceEngine", "FieldtraceStore",
                "FieldtraceAnalytics", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "FieldtraceEngineTests",
            dependencies: ["FieldtraceEngine", "FieldtraceStore", "FieldtraceAnalytics", "FieldtraceTestSupport"]
        ),
        .testTarget(
            name: "FieldtraceLoadTests",
            dependencies: [
                "FieldtraceLoad", "FieldtraceWire", "FieldtraceTestSupport", "FieldtraceIngest",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "FieldtraceReportsTests",
            dependencies: [
                "FieldtraceReports", "FieldtraceTestSupport", "FieldtraceEngine", "FieldtraceStore",
                "FieldtraceAnalytics",
            ]
        ),
        .testTarget(
            name: "FieldtraceQueryTests",
            dependencies: ["FieldtraceQuery", "FieldtraceStore", "FieldtraceAnalytics", "FieldtraceTestSupport"]
        ),
        .testTarget(
            name: "FieldtraceCLITests",
            dependencies: ["FieldtraceCLI", "FieldtraceTestSupport", "FieldtraceStore", "FieldtraceAnalytics"]
        ),
        .testTarget(
            name: "FieldtraceDeliveryTests",
            dependencies: [
                "FieldtraceDelivery", "FieldtraceStore", "FieldtraceAnalytics",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "FieldtraceAPITests",
            dependencies: [
                "FieldtraceAPI", "FieldtraceStore", "FieldtraceTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ] + fuzzTargets.map { .executableTarget(name: $0, dependencies: ["FieldtraceCore", "FieldtraceWire"]) }
)
