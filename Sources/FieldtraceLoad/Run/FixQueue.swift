/// A FIFO of fixes: appended at the back, frames taken from the front, popped when acked.
struct FixQueue {
    private var storage: [LoadFix] = []
    private var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { head == storage.count }
    var first: LoadFix? { isEmpty ? nil : storage[head] }

    mutating func append(_ fix: LoadFix) { storage.append(fix) }

    /// The first `n` fixes.
    func prefix(_ n: Int) -> ArraySlice<LoadFix> { storage[head..<(head + n)] }

    mutating func removeFirst(_ n: Int) {
        head += n
        if head == storage.count {
            storage.removeAll(keepingCapacity: storage.capacity <= 1024)
            head = 0
        } else if head >= 32 && head * 2 >= storage.count {
            // Amortised O(1): at most as many fixes move as were popped since the last compaction.
            storage.removeFirst(head)
            head = 0
        }
    }
}
