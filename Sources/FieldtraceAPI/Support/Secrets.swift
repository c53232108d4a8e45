import Crypto
import FieldtraceStore

/// Token secrets and ids: random, shown once, stored only as SHA-256 hex.
public enum Secrets {
    /// Prefix of every secret, so leaked secrets are recognisable (secret scanners, logs).
    public static let secretPrefix = "ft_"
    /// Random bytes of a secret: 32 (256 bits), hex-encoded after the prefix.
    public static let secretBytes = 32

    /// A new secret: `ft_` + 64 lowercase hex digits.
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return secretPrefix + hex((0..<secretBytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// A new public token id: `tok_` + 16 hex digits (64 bits; collisions are checked on insert).
    public static func newTokenID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "tok_" + hex((0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// SHA-256 of the UTF-8 text, lowercase hex.
    public static func sha256Hex(_ text: String) -> String {
        hex(Array(SHA256.hash(data: Array(text.utf8))))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The audit log's hash chain: each row's hash is SHA-256 (hex) of the previous row's hash
/// followed by the row's canonical text (`AuditRecord.canonicalText`).
public enum AuditChain {
    /// The chain step handed to `AccessStore.appendAudit`.
    @Sendable public static func link(previousHash: String, text: String) -> String {
        Secrets.sha256Hex(previousHash + text)
    }

    /// The outcome of a verification.
    public enum Verification: Sendable, Hashable, CustomStringConvertible {
        /// Every row links to the one before; `rows` rows checked.
        case ok(rows: Int)
        /// The first row whose hash does not match (edited, or a row before it was removed or
        /// edited), with the hash it should have.
        case broken(id: Int64, stored: String, expected: String)

        public var description: String {
            switch self {
            case .ok(let rows): "ok: \(rows) audit rows, chain intact"
            case .broken(let id, let stored, let expected):
                "broken at audit row \(id): stored hash \(stored), expected \(expected)"
            }
        }
    }

    /// Walks the whole log in id order, `pageSize` rows per read. O(rows).
    public static func verify(_ access: AccessStore, pageSize: Int = 10_000) throws -> Verification {
        var previous = AuditRecord.genesisHash
        var after: Int64 = 0
        var count = 0
        while true {
            let page = try access.auditRecords(afterID: after, limit: pageSize)
            for row in page {
                let expected = link(previousHash: previous, text: row.canonicalText)
                guard expected == row.hash else { return .broken(id: row.id, stored: row.hash, expected: expected) }
                previous = row.hash
                count += 1
            }
            guard let last = page.last, page.count == pageSize else { return .ok(rows: count) }
            after = last.id
        }
    }
}
