import Testing

@testable import FieldtraceCLI

/// The settings layers of `fieldtrace serve`: TOML subset, environment, precedence, errors.
@Suite struct ServeConfigurationTests {
    @Test func defaultsMatchTheIngestPortTable() throws {
        let c = try ServeConfiguration(ServeConfigurationLoader())
        #expect(c.ingest.ports[.nmeaTCP] == 5005 && c.ingest.ports[.nmeaUDP] == 5005)
        #expect(c.ingest.ports[.jt808] == 5015 && c.ingest.ports[.gt06] == 5023)
        #expect(c.ingest.ports[.teltonikaTCP] == 5027 && c.ingest.ports[.teltonikaUDP] == 5027)
        #expect(c.metricsPort == 9108 && !c.autoRegister && c.store.walGroupCommitMicroseconds == 1000)
    }

    @Test func fileThenEnvironmentThenFlagsWin() throws {
        var l = ServeConfigurationLoader()
        try l.applyTOML(
            """
            # comment
            [listeners]
            jt808_tcp = 6015   # trailing comment
            gt06_tcp = -1
            [server]
            host = "127.0.0.1"
            metrics_port = 9200
            [devices]
            auto_register = true
            [analytics]
            tenant = 'acme # not a comment'
            """, path: "t.toml")
        try l.applyEnvironment(["FIELDTRACE_SERVER_METRICS_PORT": "9300", "FIELDTRACE_LISTENERS_JT808_TCP": "7015"])
        try l.set("listeners.jt808_tcp", "8015", origin: "flag")
        let c = try ServeConfiguration(l)
        #expect(c.ingest.ports[.jt808] == 8015)
        #expect(c.ingest.ports[.gt06] == nil)
        #expect(c.metricsPort == 9300 && c.ingest.host == "127.0.0.1" && c.autoRegister)
        #expect(c.tenant == "acme # not a comment")
    }

    @Test func unknownKeysAndBadValuesAreErrorsWithTheirLine() throws {
        var l = ServeConfigurationLoader()
        #expect(throws: ServeConfigurationLoader.LoadError.self) { try l.applyTOML("[server]\nhots = 1\n", path: "a") }
        #expect(throws: ServeConfigurationLoader.LoadError.self) { try l.applyTOML("ports = [1, 2]\n", path: "b") }
        try l.applyTOML("[server]\nmetrics_port = 99999\n", path: "c")
        #expect(throws: ServeConfigurationLoader.LoadError.self) { try ServeConfiguration(l) }
    }

    @Test func everySettingIsInTheSampleAndTheHelp() {
        for s in ServeSettings.all {
            #expect(ServeSettings.sampleTOML.contains("\n\(s.key) = \(s.defaultValue)\n"))
            #expect(ServeSettings.discussion.contains("\(s.key) = \(s.defaultValue)"))
        }
    }
}
