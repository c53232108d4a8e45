/// A first-in first-out buffer addressed by absolute position (the count of elements ever
/// appended before it), so a position stays valid while older elements are dropped.
///
/// Storage is a circular array (a power of two long, indexed by mask), empty until the first
/// `append` (then 4 slots), doubling when full and never shrinking: a ring sized by what it held,
/// not by a guess (a 0.1 Hz device's trip buffer holds 128 points, a 1 Hz one's 1,024), which is
/// what one loaded device costs at 100,000 devices. After warm-up `append` and `removeFirst` do
/// not allocate. All operations are O(1) (append amortised).
///
/// Elements are plain values (`BitwiseCopyable`): a removed element stays in its slot until it is
/// overwritten, which costs nothing since it holds no reference, and lets slots be unwrapped
/// (no `Optional` tag: a 32-byte element takes 32 bytes, not 40).
struct TimeRing<Element>: Sendable where Element: Sendable & BitwiseCopyable {
    private var storage: [Element] = []
    private var head = 0  // storage slot of `startIndex`
    /// Absolute position of the oldest element.
    private(set) var startIndex = 0
    /// Absolute position one past the newest element.
    private(set) var endIndex = 0

    init() {}

    @inline(__always) private func slot(_ index: Int) -> Int { (head + index - startIndex) & (storage.count - 1) }

    var count: Int { endIndex - startIndex }
    var isEmpty: Bool { endIndex == startIndex }
    /// Slots allocated (for memory accounting).
    var capacity: Int { storage.count }

    mutating func append(_ element: Element) {
        if count == storage.count { grow(filling: element) }
        storage[(head + count) & (storage.count - 1)] = element
        endIndex += 1
    }

    mutating func removeFirst() {
        precondition(!isEmpty)
        head = (head + 1) & (storage.count - 1)
        startIndex += 1
    }

    /// Empties the ring, keeping its storage; positions start again at 0.
    mutating func removeAll() {
        startIndex = 0
        endIndex = 0
        head = 0
    }

    /// The element at absolute position `index` (`startIndex ..< endIndex`).
    subscript(index: Int) -> Element {
        get {
            precondition(index >= startIndex && index < endIndex, "TimeRing index out of range")
            return storage[slot(index)]
        }
        set {
            precondition(index >= startIndex && index < endIndex, "TimeRing index out of range")
            storage[slot(index)] = newValue
        }
    }

    var first: Element? { isEmpty ? nil : self[startIndex] }
    var last: Element? { isEmpty ? nil : self[endIndex - 1] }

    /// The position of the last element for which `isAtOrBefore` holds, assuming it holds for
    /// a prefix of the buffer (elements in time order); `nil` when it holds for none. O(log n).
    func lastIndex(where isAtOrBefore: (Element) -> Bool) -> Int? {
        var low = startIndex
        var high = endIndex
        while low < high {
            let mid = (low + high) / 2
            if isAtOrBefore(self[mid]) { low = mid + 1 } else { high = mid }
        }
        return low > startIndex ? low - 1 : nil
    }

    /// Doubles the storage (4 slots at first); free slots hold copies of `element`.
    private mutating func grow(filling element: Element) {
        var bigger = [Element](repeating: element, count: max(4, storage.count * 2))
        for i in 0..<count { bigger[i] = storage[(head + i) & (storage.count - 1)] }
        storage = bigger
        head = 0
    }
}
