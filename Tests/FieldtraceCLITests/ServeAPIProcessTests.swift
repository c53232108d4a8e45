import FieldtraceCore
import FieldtraceStore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `fieldtrace serve` with the HTTP API: the listening line names the API and OsmAnd ports; a
/// token made by `fieldtrace token create` beside the running server works; an OsmAnd position
/// posted without a token is stored; the audit log verifies after shutdown.
@Suite struct ServeAPIProcessTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ServeProcessTests.executable)))
    func apiAndOsmAndListenersServe() throws {
        let data = NSTemporaryDirectory() + "fieldtrace-serve-api-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcessTests.Server.start(data: data)
        defer { if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) } }
        let apiPort = try #require(server.ports["api"])
        let osmandPort = try #require(server.ports["osmand"])

        #expect(ServeProcessTests.http(port: apiPort, "GET", "/health")?.hasPrefix("HTTP/1.1 200") == true)
        let metrics = try #require(ServeProcessTests.http(port: apiPort, "GET", "/metrics"))
        #expect(metrics.contains("fieldtrace_engine_fixes_accepted_total ") && metrics.contains("fieldtrace_api_"))
        #expect(metrics.contains("\nfieldtrace_sse_subscribers 0\n"), "the SSE fan-out's subscribers")
        let anonymous = try #require(ServeProcessTests.http(port: apiPort, "GET", "/v1/whoami"))
        #expect(anonymous.hasPrefix("HTTP/1.1 401") && anonymous.contains(#""code":"unauthorized""#))

        let created = try DecodeProcessTests.run([
            "token", "create", "--data", data, "--tenant", "acme", "--role", "admin", "--expires", "1d",
        ])
        #expect(created.status == 0, "\(created.stderr)")
        let secret = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("ft_"))
        let me = try #require(
            ServeProcessTests.http(port: apiPort, "GET", "/v1/whoami", headers: ["Authorization": "Bearer \(secret)"]))
        #expect(me.hasPrefix("HTTP/1.1 200") && me.contains(#""tenant":"acme""#), "\(me)")
        let made = try #require(
            ServeProcessTests.http(
                port: apiPort, "POST", "/v1/tokens",
                headers: ["Authorization": "Bearer \(secret)", "Content-Type": "application/json"],
                body: #"{"role":"device"}"#))
        #expect(made.hasPrefix("HTTP/1.1 201"), "\(made)")

        let posted = try #require(
            ServeProcessTests.http(port: osmandPort, "POST", "/?id=phone1&lat=52.5&lon=13.4&timestamp=1767225600"))
        #expect(posted.hasPrefix("HTTP/1.1 200") && posted.contains(#""accepted":1"#), "\(posted)")

        server.process.terminate()
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0)
        #expect(try ServeProcessTests.storedTimes(data: data, device: "phone1") == [1_767_225_600_000])
        let verify = try DecodeProcessTests.run(["audit", "verify", "--data", data])
        #expect(verify.status == 0 && verify.stdout.hasPrefix("ok: 1 audit rows"), "\(verify.stdout)")

        // An edited row is named, exit 1.
        let access = AccessStore(catalog: try Catalog(path: data + "/catalog.sqlite"))
        try access.executeForTesting("DROP TRIGGER audit_no_update; UPDATE audit SET status = 200 WHERE id = 1")
        let broken = try DecodeProcessTests.run(["audit", "verify", "--data", data])
        #expect(broken.status == 1 && broken.stdout.hasPrefix("broken at audit row 1:"), "\(broken.stdout)")
    }
}
