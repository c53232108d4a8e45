import FieldtraceTestSupport
import Foundation
import Testing

/// Runs the built `fieldtrace` executable, as a user would, for exit codes and streams.
@Suite struct DecodeProcessTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `fieldtrace` binary next to the test bundle (`swift build --build-tests` builds both).
    static var executable: String {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if url.lastPathComponent == "MacOS" { url = url.deletingLastPathComponent().deletingLastPathComponent() }
        return url.appendingPathComponent("fieldtrace").path
    }

    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
    func decodesASampleWithAcksAndASummary() throws {
        let r = try Self.run([
            "decode", "--protocol", "gt06", "--input", "hex", "--acks", "--now", "2026-11-29T00:00:00Z",
            SampleData.path("gt06/session.hex"),
        ])
        #expect(r.status == 0)
        let expected = try SampleData.lines("gt06/session.expected.jsonl")
        #expect(r.stdout.split(separator: "\n").count == expected.count)
        let summary = try String(contentsOfFile: SampleData.path("gt06/session.expected.summary"), encoding: .utf8)
        #expect(
            r.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                == summary.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
    func outputNonePrintsOnlyTheSummary() throws {
        let r = try Self.run(["decode", "--protocol", "nmea", "--output", "none", SampleData.path("nmea/moving.nmea")])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("frames="))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
    func rejectedFramesStillExitZero() throws {
        let r = try Self.run(["decode", "--protocol", "nmea", SampleData.path("nmea/bad_checksum.nmea")])
        #expect(r.status == 0)
        #expect(r.stderr.contains("bad_checksum="))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
    func usageErrorsAndUnreadableFilesExitTwo() throws {
        #expect(try Self.run(["decode", "--protocol", "bogus", "-"]).status == 2)
        #expect(try Self.run(["decode"]).status == 2)
        #expect(try Self.run(["decode", "--protocol", "nmea", "--input", "octal", "-"]).status == 2)
        #expect(try Self.run(["decode", "--protocol", "nmea", "--now", "yesterday", "-"]).status == 2)
        let missing = try Self.run(["decode", "--protocol", "nmea", "/nonexistent/capture.nmea"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read /nonexistent/capture.nmea"))
        let directory = try Self.run(["decode", "--protocol", "nmea", "/tmp"])
        #expect(directory.status == 2)
    }

    @Test func theExecutableIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable), "\(Self.executable)")
    }
}
