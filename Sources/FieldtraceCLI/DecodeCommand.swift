import ArgumentParser
import FieldtraceCore
import FieldtraceWire

#if canImport(Glibc)
    import Glibc
#endif

extension WireProtocol: ExpressibleByArgument {}
extension CaptureInput: ExpressibleByArgument {}

/// `fieldtrace decode`: decodes a capture and prints fixes as JSON lines.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode a capture file and print its fixes as JSON lines.",
        discussion: """
            Prints one JSON object per fix (device, time, lat, lon, alt_m, speed_mps, course_deg, hdop, \
            sats, valid, late; values the frame did not carry are left out), with --acks also the \
            reply the server would send as {"ack":"<hex>"}, and last, on standard error, a summary: \
            frames, fixes, ignored, and rejected by reason. Exits 0 even when frames were rejected.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case jsonl, none
    }

    @Option(name: .customLong("protocol"), help: "nmea, jt808, teltonika, teltonika-udp, gt06 or osmand.")
    var wireProtocol: WireProtocol

    @Option(help: "raw: bytes as received; hex: one frame per line as hex text (osmand: one request per line).")
    var input: CaptureInput = .raw

    @Option(help: "jsonl: one object per fix; none: print only the summary.")
    var output: OutputFormat = .jsonl

    @Flag(help: "Also print each reply the server would send.")
    var acks = false

    @Flag(help: "Accept NMEA sentences without a checksum (a wrong checksum is still rejected).")
    var lenient = false

    @Option(help: "The server clock to assume, ISO 8601 (default: now); reference for GPS week rollover.")
    var now: String?

    @Argument(help: "The capture file, or - for standard input.")
    var file: String = "-"

    func validate() throws {
        if let now, ISO8601.parse(now.utf8) == nil {
            throw ValidationError("--now '\(now)' is not an ISO 8601 time")
        }
    }

    func run() throws {
        let bytes: [UInt8]
        do {
            bytes = try CLIOutput.readAll(file)
        } catch {
            CLIOutput.standardError("fieldtrace decode: \(error)\n")
            throw ExitCode(2)
        }
        var configuration = WireConfiguration()
        configuration.lenientNMEAChecksum = lenient
        let receivedMs = now.flatMap { ISO8601.parse($0.utf8) } ?? Self.clockMs()
        var writer = BufferedWriter(fd: 1)
        let counters = DecodeRun.decode(
            bytes, protocol: wireProtocol, input: input, configuration: configuration, receivedMs: receivedMs,
            fixes: output == .jsonl, acks: acks
        ) { text in
            writer.buffer.append(contentsOf: text)
            writer.flushIfFull()
        }
        writer.flush()
        CLIOutput.standardError(counters.summary + "\n")
    }

    static func clockMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// The decode work behind the command, separate from I/O so tests can call it.
enum DecodeRun {
    static func decode(
        _ bytes: [UInt8], protocol wireProtocol: WireProtocol, input: CaptureInput,
        configuration: WireConfiguration, receivedMs: Int64, fixes printFixes: Bool, acks printAcks: Bool,
        write: ([UInt8]) -> Void
    ) -> WireCounters {
        var out: [UInt8] = []
        let capture = CaptureDecoding(protocol: wireProtocol, input: input, configuration: configuration)
        let counters = capture.decode(bytes, receivedMs: receivedMs) { output in
            if printFixes {
                for fix in output.fixes {
                    fix.appendJSONLine(to: &out)
                    out.append(UInt8(ascii: "\n"))
                }
            }
            if printAcks {
                for reply in output.replies {
                    out.append(contentsOf: #"{"ack":""#.utf8)
                    out.append(contentsOf: Hex.encode(reply).utf8)
                    out.append(contentsOf: "\"}\n".utf8)
                }
            }
            if out.count >= 1 << 16 {
                write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        write(out)
        return counters
    }
}
