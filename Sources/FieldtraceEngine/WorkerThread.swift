import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A thread that hands batches of messages, in FIFO order, to a handler: the serial executor
/// of a shard. The queue is bounded: `enqueue` waits (suspends, never blocks a thread) while
/// `capacity` messages are queued; `enqueueControl` never waits (ticks, drains, loads: few and
/// small, and they must get through a full queue).
final class WorkerThread<Message: Sendable>: @unchecked Sendable {
    let capacity: Int
    private let lock = ThreadLock()
    // Guarded by `lock`.
    private var queue: [Message] = []
    /// Messages waiting for room, first come first served: they enter the queue in this order,
    /// so a waiting producer is never overtaken (one device's batches keep their order). A
    /// producer's continuation is resumed when its message is queued; control messages have none.
    private var waiting: [(message: Message, continuation: CheckedContinuation<Void, Never>?)] = []
    private var running = true
    private var finished = false
    private var waitsForRoom = 0
    /// Cleared when the thread ends, so a handler that captures its owner does not keep it alive.
    private var handler: (([Message]) -> Void)?

    init(name: String, capacity: Int, handler: @escaping ([Message]) -> Void) {
        precondition(capacity >= 1)
        self.capacity = capacity
        self.handler = handler
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    /// Messages waiting (queued, and held by producers waiting for room).
    var depth: Int { lock.withLock { queue.count + waiting.count } }
    /// How many times an `enqueue` found the queue full and waited.
    var roomWaits: Int { lock.withLock { waitsForRoom } }

    /// Appends a message, waiting while the queue is full (backpressure on the producer).
    func enqueue(_ message: Message) async {
        if tryEnqueue(message) { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if hasRoom {
                queue.append(message)
                lock.broadcast()
                lock.unlock()
                continuation.resume()
            } else {
                waitsForRoom += 1
                waiting.append((message, continuation))
                lock.unlock()
            }
        }
    }

    /// Whether a message may go straight into the queue (lock held).
    private var hasRoom: Bool { waiting.isEmpty && (queue.count < capacity || !running) }

    private func tryEnqueue(_ message: Message) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard hasRoom else { return false }
        queue.append(message)
        lock.broadcast()
        return true
    }

    /// Appends a message whatever the queue's length, behind the producers waiting for room (so a
    /// drain or a barrier comes after everything enqueued before it).
    func enqueueControl(_ message: Message) {
        lock.lock()
        if waiting.isEmpty {
            queue.append(message)
        } else {
            waiting.append((message, nil))
        }
        lock.broadcast()
        lock.unlock()
    }

    /// Handles what is queued, then ends the thread; returns when it has ended.
    func stop() {
        lock.lock()
        running = false
        lock.broadcast()
        while !finished { lock.wait() }
        lock.unlock()
    }

    private func loop() {
        var batch: [Message] = []
        var admitted: [CheckedContinuation<Void, Never>] = []
        lock.lock()
        while true {
            while queue.isEmpty && waiting.isEmpty && running { lock.wait() }
            if queue.isEmpty && waiting.isEmpty && !running { break }
            swap(&batch, &queue)
            // Room again: waiting messages move into the queue, in order, up to the capacity.
            var moved = 0
            while moved < waiting.count && (queue.count < capacity || !running) {
                queue.append(waiting[moved].message)
                if let continuation = waiting[moved].continuation { admitted.append(continuation) }
                moved += 1
            }
            waiting.removeFirst(moved)
            lock.unlock()
            for continuation in admitted { continuation.resume() }
            admitted.removeAll(keepingCapacity: true)
            handler?(batch)
            batch.removeAll(keepingCapacity: true)
            lock.lock()
        }
        finished = true
        handler = nil
        lock.broadcast()
        lock.unlock()
    }
}

/// A pthread mutex with a condition variable, heap-allocated so the pthread objects never move.
final class ThreadLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    func broadcast() { pthread_cond_broadcast(condition) }
    /// Waits (lock held) until signalled.
    func wait() { pthread_cond_wait(condition, mutex) }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
