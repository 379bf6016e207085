import Synchronization

#if ATALAYA_TSAN
  #if canImport(Glibc)
    import Glibc
  #endif

  /// The lock around shared state, in a ThreadSanitizer build: a pthread mutex, which
  /// TSan sees. The standard `Mutex` on Linux locks with inlined atomics and futexes
  /// that TSan does not model, so every access under it would be reported as a race.
  /// Same API as `Mutex`; built only with `-D ATALAYA_TSAN` (`make tsan`).
  public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    public init(_ initialValue: sending Value) {
      value = initialValue
      pthread_mutex_init(mutex, nil)
    }

    deinit {
      pthread_mutex_destroy(mutex)
      mutex.deallocate()
    }

    public func withLock<Result: ~Copyable, E: Error>(
      _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
      pthread_mutex_lock(mutex)
      defer { pthread_mutex_unlock(mutex) }
      return try body(&value)
    }
  }
#else
  /// The lock around shared state: the standard library's `Mutex` (a pthread mutex
  /// takes its place in ThreadSanitizer builds, which cannot see `Mutex` on Linux).
  public typealias Locked<Value> = Mutex<Value>
#endif
