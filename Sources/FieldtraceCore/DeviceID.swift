/// A device's identity: an IMEI, a JT/T 808 terminal phone number, an app's device id.
///
/// 1 to `Limits.deviceIDMaxBytes` bytes of printable ASCII without spaces (0x21...0x7E), so an
/// identity can be a file name component, a URL path segment and a log value without escaping.
/// Identities up to 15 bytes (an IMEI) are stored inline by `String`, with no allocation.
public struct DeviceID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    @usableFromInline
    init(unchecked rawValue: String) { self.rawValue = rawValue }

    /// Validates `rawValue`; `nil` when it is empty, too long or holds a disallowed byte.
    public init?(_ rawValue: String) {
        guard Self.isValid(rawValue.utf8) else { return nil }
        self.rawValue = rawValue
    }

    /// Validates and decodes ASCII bytes; `nil` when they are not a valid identity.
    @inlinable
    public init?(ascii bytes: some Collection<UInt8>) {
        guard Self.isValid(bytes) else { return nil }
        // Specialised at the call site (@inlinable), so no per-byte generic dispatch.
        self.init(unchecked: String(decoding: bytes, as: UTF8.self))
    }

    /// Whether `bytes` form a valid identity.
    @inlinable
    public static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        let count = bytes.count
        guard count >= 1, count <= Limits.deviceIDMaxBytes else { return false }
        return bytes.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }

    public var description: String { rawValue }
    public static func < (lhs: DeviceID, rhs: DeviceID) -> Bool { lhs.rawValue < rhs.rawValue }
}
