/// Which parts of a route have been passed within its corridor: the route's length cut into
/// bins, one bit each.
///
/// Bins are `binMeters` long (5 m, or longer so that a route has at most `maxBins`: 64 K bits,
/// 8 KiB, for a route of any length). Marking a stretch is O(bins in it); the covered length
/// is kept as a running count.
struct RouteCoverage: Sendable {
    static let preferredBinMeters = 5.0
    static let maxBins = 65_536

    let lengthMeters: Double
    let binMeters: Double
    let binCount: Int
    private var words: [UInt64]
    private(set) var coveredBins = 0
    private var lastBinCovered = false

    init(lengthMeters: Double) {
        self.lengthMeters = lengthMeters
        binMeters = max(Self.preferredBinMeters, lengthMeters / Double(Self.maxBins))
        binCount = max(1, Int((lengthMeters / binMeters).rounded(.up)))
        words = Array(repeating: 0, count: (binCount + 63) / 64)
    }

    @inline(__always)
    private func bin(_ alongMeters: Double) -> Int {
        min(binCount - 1, max(0, Int(alongMeters / binMeters)))
    }

    /// Marks the route between two along-route positions (either order) as covered.
    mutating func mark(from a: Double, to b: Double) {
        let lo = bin(min(a, b))
        let hi = bin(max(a, b))
        for i in lo...hi {
            let bit: UInt64 = 1 << UInt64(i & 63)
            if words[i >> 6] & bit == 0 {
                words[i >> 6] |= bit
                coveredBins += 1
                if i == binCount - 1 { lastBinCovered = true }
            }
        }
    }

    /// Covered length, metres (the last bin counts for its true, shorter length).
    var coveredMeters: Double {
        guard coveredBins > 0 else { return 0 }
        let lastLength = lengthMeters - Double(binCount - 1) * binMeters
        return lastBinCovered ? Double(coveredBins - 1) * binMeters + lastLength : Double(coveredBins) * binMeters
    }

    /// Covered share of the length, 0 ... 1.
    var coveredShare: Double { lengthMeters > 0 ? min(1, coveredMeters / lengthMeters) : (coveredBins > 0 ? 1 : 0) }
}
