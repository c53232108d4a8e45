#if canImport(Glibc)
    import Glibc
#endif

/// A mutex with a condition variable (pthread), for the WAL's committer thread and the callers
/// that wait on it. Heap-allocated so the pthread objects never move.
final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
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

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits (lock held) until signalled.
    func wait() { pthread_cond_wait(condition, mutex) }

    /// Waits (lock held) until signalled or `microseconds` pass.
    func wait(microseconds: Int) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        var nanos = Int(now.tv_nsec) + (microseconds % 1_000_000) * 1000
        var seconds = Int(now.tv_sec) + microseconds / 1_000_000
        if nanos >= 1_000_000_000 {
            nanos -= 1_000_000_000
            seconds += 1
        }
        var deadline = timespec(tv_sec: seconds, tv_nsec: nanos)
        pthread_cond_timedwait(condition, mutex, &deadline)
    }
}
