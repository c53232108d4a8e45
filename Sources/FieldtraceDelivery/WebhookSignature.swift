import Crypto
import Foundation

/// Webhook request signing: `Fieldtrace-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`, the
/// HMAC keyed with the subscription's secret (its UTF-8 bytes) over `"<t>.<body>"` (the decimal
/// timestamp, a dot, then the exact body bytes). The timestamp is signed so a captured request
/// cannot be replayed after `tolerance`; event ids in the body let a receiver drop repeats
/// within it.
///
/// A receiver checks with `verify(signature:body:secret:tolerance:nowSeconds:)`, on the raw body,
/// before parsing it. Several `v1=` entries may appear (one per secret while a secret is being
/// rotated); one match is enough.
public enum WebhookSignature {
    /// The signature header.
    public static let header = "Fieldtrace-Signature"
    /// The ids of the events in the body, comma-separated, ascending.
    public static let eventIDsHeader = "Fieldtrace-Event-Ids"
    /// Default `tolerance`: 5 minutes, as most signed-webhook schemes (Stripe, Svix): wide enough
    /// for clock skew and queueing, short enough that a captured request is soon worthless.
    public static let defaultTolerance: Duration = .seconds(300)

    /// Why a signature was refused.
    public enum VerificationError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The header is not `t=<digits>,v1=<64 hex digits>[,v1=…]`.
        case malformed(String)
        /// The signed timestamp is further than `tolerance` from now (a replay or a skewed clock).
        case outsideTolerance(timestamp: Int64, now: Int64)
        /// No `v1` matches the body and secret.
        case mismatch

        public var description: String {
            switch self {
            case .malformed(let why): "malformed \(WebhookSignature.header) header: \(why)"
            case .outsideTolerance(let t, let now): "signature timestamp \(t) is too far from now (\(now))"
            case .mismatch: "signature does not match the body and secret"
            }
        }
    }

    /// The header value for `body` signed at `timestamp` (Unix seconds).
    public static func sign(body: [UInt8], secret: String, timestamp: Int64) -> String {
        "t=\(timestamp),v1=\(hex(mac(body: body, secret: secret, timestamp: timestamp)))"
    }

    /// The HMAC-SHA256 of `"<timestamp>.<body>"` keyed with the secret (what `v1` carries, in hex).
    public static func mac(body: [UInt8], secret: String, timestamp: Int64) -> [UInt8] {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        return hmacSHA256(key: Array(secret.utf8), message: message)
    }

    /// HMAC-SHA256 (RFC 2104 with SHA-256, swift-crypto).
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// Checks a `Fieldtrace-Signature` header against the raw body; returns the signed timestamp.
    /// Comparison is constant-time (`HMAC.isValidAuthenticationCode`).
    @discardableResult
    public static func verify(
        signature: String, body: [UInt8], secret: String, tolerance: Duration = defaultTolerance,
        nowSeconds: Int64 = Int64(Date().timeIntervalSince1970)
    ) throws(VerificationError) -> Int64 {
        var timestamp: Int64?
        var codes: [[UInt8]] = []
        for part in signature.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            if item.hasPrefix("t=") {
                guard timestamp == nil, let t = Int64(item.dropFirst(2)), t >= 0 else {
                    throw .malformed("bad or repeated t")
                }
                timestamp = t
            } else if item.hasPrefix("v1=") {
                guard let code = unhex(item.dropFirst(3)), code.count == SHA256.byteCount else {
                    throw .malformed("v1 must be \(2 * SHA256.byteCount) hex digits")
                }
                codes.append(code)
            } else if item.isEmpty {
                throw .malformed("empty item")
            }  // other schemes (v0, v2…) are ignored, so new ones can be added
        }
        guard let timestamp else { throw .malformed("no t") }
        guard !codes.isEmpty else { throw .malformed("no v1") }
        let toleranceSeconds = tolerance.components.seconds
        guard abs(nowSeconds - timestamp) <= toleranceSeconds else {
            throw .outsideTolerance(timestamp: timestamp, now: nowSeconds)
        }
        let key = SymmetricKey(data: Array(secret.utf8))
        var signed = Array("\(timestamp).".utf8)
        signed.append(contentsOf: body)
        for code in codes where HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: signed, using: key) {
            return timestamp
        }
        throw .mismatch
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unhex(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let hi = nibble(digits[i]), let lo = nibble(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A new random secret: `whsec_` and 32 random bytes in hex (256 bits, as the HMAC key size),
    /// from the system's cryptographic generator.
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return "whsec_" + hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
