import FieldtraceCore

/// How a capture file holds its frames.
public enum CaptureInput: String, Sendable, CaseIterable {
    /// The bytes as they came off the wire. Stream protocols are fed in chunks; Teltonika UDP
    /// packets are split by their 2-byte length prefix; OsmAnd requests are one per line.
    case raw
    /// One frame per line as hex text (spaces allowed), for binary captures. For OsmAnd, one
    /// request per line as text (a query string or a JSON body): it is already text.
    case hex
}

/// Decodes a whole capture (a file of frames) with the decoder of a protocol.
///
/// A capture may start with `#` comment lines (its header: where it came from, what it covers);
/// they are skipped. In hex mode, blank lines and `#` lines anywhere are skipped.
public struct CaptureDecoding {
    public let wireProtocol: WireProtocol
    public let input: CaptureInput
    public var configuration: WireConfiguration
    /// Bytes handed to a stream decoder per call in raw mode.
    public var chunkBytes = 1 << 20

    public init(protocol wireProtocol: WireProtocol, input: CaptureInput, configuration: WireConfiguration = .init()) {
        self.wireProtocol = wireProtocol
        self.input = input
        self.configuration = configuration
    }

    /// Decodes `bytes`, calling `unit` after each frame (hex mode), datagram or chunk with the
    /// output holding that unit's fixes and replies; the output's batch is cleared after each
    /// call. Returns the total counters.
    public func decode(
        _ bytes: [UInt8], receivedMs: Int64, unit: (inout WireOutput) -> Void
    ) -> WireCounters {
        switch wireProtocol {
        case .nmea: run(NMEADecoder.self, bytes, receivedMs, unit)
        case .jt808: run(JT808Decoder.self, bytes, receivedMs, unit)
        case .teltonika: run(TeltonikaTCPDecoder.self, bytes, receivedMs, unit)
        case .teltonikaUDP: run(TeltonikaUDPDecoder.self, bytes, receivedMs, unit)
        case .gt06: run(GT06Decoder.self, bytes, receivedMs, unit)
        case .osmand: run(OsmAndDecoder.self, bytes, receivedMs, unit)
        }
    }

    private func run<D: WireDecoder>(
        _ type: D.Type, _ bytes: [UInt8], _ receivedMs: Int64, _ unit: (inout WireOutput) -> Void
    ) -> WireCounters {
        var decoder = D(configuration: configuration)
        var output = WireOutput()
        func emit() {
            unit(&output)
            output.clearBatch()
        }
        let body = Self.skipHeader(bytes)
        if input == .hex || wireProtocol == .osmand {
            Self.forEachLine(bytes, from: body) { line in
                if wireProtocol == .osmand {
                    decoder.consume(Array(line), receivedMs: receivedMs, into: &output)
                } else if let frame = Hex.decode(line) {
                    decoder.consume(frame, receivedMs: receivedMs, into: &output)
                } else {
                    output.counters.frames += 1
                    output.reject(
                        WireError(.badFraming, protocol: wireProtocol, bytes: line, detail: "not hex text"),
                        limit: configuration.maxRejectionsKept)
                }
                emit()
            }
        } else if wireProtocol == .teltonikaUDP {
            bytes.withUnsafeBytes { all in
                var offset = body
                while offset < all.count {
                    let remaining = all.count - offset
                    let length = remaining >= 2 ? Int(all[offset]) << 8 | Int(all[offset + 1]) : Int.max
                    let end = length <= remaining - 2 ? offset + 2 + length : all.count
                    decoder.consume(
                        UnsafeRawBufferPointer(rebasing: all[offset..<end]), receivedMs: receivedMs, into: &output)
                    emit()
                    offset = end
                }
            }
        } else {
            bytes.withUnsafeBytes { all in
                var offset = body
                while offset < all.count {
                    let end = min(all.count, offset + chunkBytes)
                    decoder.consume(
                        UnsafeRawBufferPointer(rebasing: all[offset..<end]), receivedMs: receivedMs, into: &output)
                    emit()
                    offset = end
                }
            }
        }
        decoder.finish(into: &output)
        emit()
        return output.counters
    }

    /// The offset just past the leading `#` comment lines.
    public static func skipHeader(_ bytes: [UInt8]) -> Int {
        var offset = 0
        while offset < bytes.count, bytes[offset] == UInt8(ascii: "#") {
            while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") { offset += 1 }
            offset += 1
        }
        return min(offset, bytes.count)
    }

    /// Calls `body` with each non-blank, non-comment line (without its line ending).
    static func forEachLine(_ bytes: [UInt8], from start: Int, _ body: (ArraySlice<UInt8>) -> Void) {
        var offset = start
        while offset < bytes.count {
            var end = offset
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            var lineEnd = end
            if lineEnd > offset, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let line = bytes[offset..<lineEnd]
            let isBlank = line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            if !isBlank, line.first != UInt8(ascii: "#") { body(line) }
            offset = end + 1
        }
    }
}
