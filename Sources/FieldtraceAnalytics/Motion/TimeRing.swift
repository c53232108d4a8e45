/// A first-in first-out buffer addressed by absolute position (the count of elements ever
/// appended before it), so a position stays valid while older elements are dropped.
///
/// Storage is a circular array (a power of two long, indexed by mask) that doubles when full
/// and never shrinks: after warm-up,
/// `append` and `removeFirst` do not allocate. All operations are O(1) (append amortised).
struct TimeRing<Element>: Sendable where Element: Sendable {
    private var storage: [Element?] = []
    private var head = 0  // storage slot of `startIndex`
    /// Absolute position of the oldest element.
    private(set) var startIndex = 0
    /// Absolute position one past the newest element.
    private(set) var endIndex = 0

    init(minimumCapacity: Int = 64) {
        var capacity = 4
        while capacity < minimumCapacity { capacity *= 2 }
        storage = Array(repeating: nil, count: capacity)
    }

    @inline(__always) private func slot(_ index: Int) -> Int { (head + index - startIndex) & (storage.count - 1) }

    var count: Int { endIndex - startIndex }
    var isEmpty: Bool { endIndex == startIndex }

    mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) & (storage.count - 1)] = element
        endIndex += 1
    }

    mutating func removeFirst() {
        precondition(!isEmpty)
        storage[head] = nil
        head = (head + 1) & (storage.count - 1)
        startIndex += 1
    }

    mutating func removeAll() {
        while !isEmpty { removeFirst() }
        startIndex = 0
        endIndex = 0
        head = 0
    }

    /// The element at absolute position `index` (`startIndex ..< endIndex`).
    subscript(index: Int) -> Element {
        get {
            precondition(index >= startIndex && index < endIndex, "TimeRing index out of range")
            return storage[slot(index)]!
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

    private mutating func grow() {
        var bigger: [Element?] = Array(repeating: nil, count: storage.count * 2)
        for i in 0..<count { bigger[i] = storage[(head + i) & (storage.count - 1)] }
        storage = bigger
        head = 0
    }
}
