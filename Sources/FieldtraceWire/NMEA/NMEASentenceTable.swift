/// What the decoder does with a sentence type.
enum NMEASentenceKind: UInt8 {
    /// Not in the table: rejected as `unknown_message`.
    case unknown
    /// Known and deliberately unused: counted as ignored.
    case ignored
    case rmc, gga, gns, gll, vtg, gsa, zda
}

/// The phrase table (after gpsd's): every sentence type the decoder knows and what handles
/// it. Standard sentences are `$` + talker (2 letters, any: GP, GN, GL, GA, GB, BD, GQ, ...)
/// + type (3 letters); dispatch looks the 3 type bytes up in a direct-index table built once
/// from `entries`, one load per sentence.
enum NMEASentenceTable {
    /// Sentence types turned into fixes, with their handler (see `NMEASession.dispatch` and
    /// `Messages/`).
    static let handled: [(type: String, kind: NMEASentenceKind)] = [
        ("RMC", .rmc), ("GGA", .gga), ("GNS", .gns), ("GLL", .gll), ("VTG", .vtg), ("GSA", .gsa), ("ZDA", .zda),
    ]

    /// Known sentence types that carry nothing a fix needs: satellites in view, text, error
    /// statistics, datum, heading, water speed, navigation to waypoints, polls, ...
    static let ignored: [String] = [
        "GSV", "TXT", "GST", "GBS", "GRS", "DTM", "VHW", "HDT", "HDG", "HDM", "ROT", "THS", "VBW", "VLW",
        "XTE", "APB", "RMB", "BWC", "BWR", "BOD", "WPL", "RTE", "ALM", "GFA", "RLM", "MWV", "MWD", "MTW",
        "DBT", "DPT", "GBQ", "GLQ", "GNQ", "GPQ", "ZDG", "ZFO", "ZTG", "AAM", "OSD", "TTM", "TLL", "VDR",
    ]

    /// Proprietary sentences (`$P` + 3-letter manufacturer) that receivers send on their own:
    /// u-blox, MediaTek, SiRF, Garmin, SkyTraq, Quectel, Airoha, CASIC, Trimble, Ashtech,
    /// Unicore. Counted as ignored. `$PGID` is the identity sentence, handled apart.
    static let ignoredManufacturers: [String] = [
        "UBX", "MTK", "SRF", "GRM", "STI", "QTM", "AIR", "CAS", "TNL", "ASH", "UNI",
    ]

    /// `entries` as a direct-index table over the 26^3 upper-case three-letter types.
    static let index: [NMEASentenceKind] = {
        var table = [NMEASentenceKind](repeating: .unknown, count: 26 * 26 * 26)
        for type in ignored { table[slot(Array(type.utf8))] = .ignored }
        for (type, kind) in handled { table[slot(Array(type.utf8))] = kind }
        return table
    }()

    static func slot(_ t: [UInt8]) -> Int {
        precondition(t.count == 3 && t.allSatisfy { $0 >= 65 && $0 <= 90 }, "sentence types are 3 capitals")
        return Int(t[0] - 65) * 676 + Int(t[1] - 65) * 26 + Int(t[2] - 65)
    }

    /// The kind of the type `a b c`; `.unknown` for anything not three capitals in the table.
    @inline(__always)
    static func kind(_ table: [NMEASentenceKind], _ a: UInt8, _ b: UInt8, _ c: UInt8) -> NMEASentenceKind {
        let x = a &- 65
        let y = b &- 65
        let z = c &- 65
        guard x < 26, y < 26, z < 26 else { return .unknown }
        return table[Int(x) &* 676 &+ Int(y) &* 26 &+ Int(z)]
    }

    /// Whether a proprietary address (`bytes[1..<addressEnd]`, starting with `P`) comes from
    /// a manufacturer on the ignored list.
    static func isIgnoredProprietary(_ bytes: UnsafeRawBufferPointer, addressEnd: Int) -> Bool {
        for m in ignoredManufacturers {
            let u = m.utf8
            guard addressEnd >= 2 + u.count else { continue }
            var i = 2
            var match = true
            for c in u {
                if bytes[i] != c {
                    match = false
                    break
                }
                i += 1
            }
            if match { return true }
        }
        return false
    }
}
