import FieldtraceCore

/// Teltonika Codec 8 / 8E over UDP (protocols.md section 3): each `consume` call is one datagram.
///
/// Every datagram names its device (IMEI), is decoded in place (nothing buffered, nothing
/// allocated per fix) and, when its header is sound and the device allowed, is answered with the
/// number of records accepted (0 when its AVL data is bad, so the device resends). A datagram with
/// a bad header or from a refused device gets no answer.
public struct TeltonikaUDPDecoder: WireDecoder {
    public static let wireProtocol = WireProtocol.teltonikaUDP

    /// The IMEI of the latest accepted datagram.
    public private(set) var identity: DeviceID?
    private let configuration: WireConfiguration
    /// Datagrams consumed, the offset reported in errors.
    private var datagramOffset = 0

    public init(configuration: WireConfiguration) {
        self.configuration = configuration
    }

    public mutating func consume(_ bytes: UnsafeRawBufferPointer, receivedMs: Int64, into output: inout WireOutput) {
        defer { datagramOffset += bytes.count }
        output.counters.frames += 1
        let header: TeltonikaUDPHeader
        let device: DeviceID
        do throws(TeltonikaError) {
            header = try TeltonikaUDPHeader.read(bytes, maxBytes: configuration.limits.teltonikaPacketMaxBytes)
            guard let id = TeltonikaIMEI.deviceID(header.imei, reusing: identity) else {
                throw TeltonikaError.badIMEI
            }
            guard configuration.isDeviceAllowed(id) else { throw TeltonikaError.refused }
            device = id
        } catch {
            reject(error, bytes, into: &output)
            return
        }
        if identity != device {
            identity = device
        }
        output.identity = device
        do throws(TeltonikaError) {
            let count = try TeltonikaAVLPacket.appendFixes(
                header.avlData, device: device, receivedMs: receivedMs, into: &output,
                rejected: { $0.wireError(Self.wireProtocol, offset: datagramOffset, bytes: bytes) },
                rejectionsKept: configuration.maxRejectionsKept)
            if count == 0 { output.counters.ignored += 1 }
            header.appendReply(count: count, into: &output)
        } catch {
            reject(error, bytes, into: &output)
            if case .unknownCodec = error { return }
            header.appendReply(count: 0, into: &output)
        }
    }

    /// Datagrams are independent: nothing is pending at the end.
    public mutating func finish(into output: inout WireOutput) {}

    private func reject(_ error: TeltonikaError, _ bytes: UnsafeRawBufferPointer, into output: inout WireOutput) {
        output.reject(
            error.wireError(Self.wireProtocol, offset: datagramOffset, bytes: bytes),
            limit: configuration.maxRejectionsKept)
    }
}
