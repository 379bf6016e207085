import Dispatch

/// Runs blocking file work (reads, writes, fsync, rename) on one serial dispatch queue,
/// never on Swift's cooperative thread pool, and never while the caller holds a lock.
///
/// Jobs run one at a time in the order they were submitted, so two writes of one file
/// can never interleave. The awaiting task is suspended, not blocked.
public final class BlockingIO: Sendable {
  /// The process's file-I/O queue.
  public static let shared = BlockingIO(label: "atalaya.io")

  private let queue: DispatchQueue
  private let key = DispatchSpecificKey<Bool>()

  public init(label: String) {
    queue = DispatchQueue(label: label)
    queue.setSpecific(key: key, value: true)
  }

  /// True while the calling code runs as one of this queue's jobs.
  public var isCurrent: Bool { DispatchQueue.getSpecific(key: key) == true }

  /// Queues `body` without waiting for it (work whose result nobody awaits).
  public func submit(_ body: @escaping @Sendable () -> Void) {
    queue.async(execute: body)
  }

  /// Runs `body` on the queue and returns its result.
  public func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T)
    async throws(E) -> T
  {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
      queue.async {
        do throws(E) {
          continuation.resume(returning: .success(try body()))
        } catch {
          continuation.resume(returning: .failure(error))
        }
      }
    }
    return try result.get()
  }
}
