/// ISO 8601 / RFC 3339 timestamps, formatted and parsed from bytes without Foundation.
public enum ISO8601 {
    /// Formats as `YYYY-MM-DDTHH:MM:SS.mmmZ` (always milliseconds, always UTC).
    public static func format(ms: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        append(ms: ms, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS.mmmZ` to a byte buffer (no intermediate `String`).
    @inlinable
    public static func append(ms: Int64, to out: inout [UInt8]) {
        let c = UTCTime.components(ms)
        var year = c.year
        if year < 0 {
            out.append(UInt8(ascii: "-"))
            year = -year
        }
        appendDigits(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(c.month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(c.day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(c.hour, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(c.minute, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(c.second, width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(c.millisecond, width: 3, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    @inlinable
    static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        var digits = 1
        var v = value
        while v >= 10 {
            v /= 10
            digits += 1
        }
        for _ in digits..<max(width, digits) { out.append(UInt8(ascii: "0")) }
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        v = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
            divisor /= 10
        }
    }

    /// Parses `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][Z|±HH[:]MM]` into epoch milliseconds.
    ///
    /// A missing zone means UTC (phone apps that omit it send UTC). Fractions beyond
    /// milliseconds are truncated. Returns `nil` on any syntax or range error.
    @inlinable
    public static func parse(_ text: some Collection<UInt8>) -> Int64? {
        if let parsed = text.withContiguousStorageIfAvailable({ parse(UnsafeRawBufferPointer($0)) }) {
            return parsed
        }
        return Array(text).withUnsafeBytes { parse($0) }
    }

    /// Parses from borrowed bytes, without copying them.
    public static func parse(_ b: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= b.count else { return nil }
            var v = 0
            for k in i..<(i + width) {
                let d = Int(b[k]) - 48
                guard d >= 0, d <= 9 else { return nil }
                v = v * 10 + d
            }
            i += width
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
            let day = number(2)
        else { return nil }
        guard i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ")
        else { return nil }
        i += 1
        guard let hour = number(2), expect(UInt8(ascii: ":")), let minute = number(2) else { return nil }
        var second = 0
        var millisecond = 0
        if expect(UInt8(ascii: ":")) {
            guard let s = number(2) else { return nil }
            second = s
            if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                var scale = 100
                var digits = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    millisecond += Int(b[i] - 48) * scale
                    scale /= 10
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
            }
        }
        var offsetMinutes = 0
        if i < b.count {
            switch b[i] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                i += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let oh = number(2), oh <= 23 else { return nil }
                _ = expect(UInt8(ascii: ":"))
                guard let om = number(2), om <= 59 else { return nil }
                offsetMinutes = sign * (oh * 60 + om)
            default:
                return nil
            }
        }
        guard i == b.count,
            let local = UTCTime.epochMs(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                millisecond: millisecond)
        else { return nil }
        return local - Int64(offsetMinutes) * 60_000
    }
}
