import FieldtraceCore

/// PLACEHOLDER: replaced by the real decoder. Rejects everything as unsupported.
public struct JT808Decoder: WireDecoder {
    public static let wireProtocol = WireProtocol.jt808
    public private(set) var identity: DeviceID?
    public init(configuration: WireConfiguration) {}
    public mutating func consume(_ bytes: UnsafeRawBufferPointer, receivedMs: Int64, into output: inout WireOutput) {
        output.counters.frames += 1
        output.reject(WireError(.unsupported, protocol: Self.wireProtocol, bytes: bytes))
    }
    public mutating func finish(into output: inout WireOutput) {}
}
