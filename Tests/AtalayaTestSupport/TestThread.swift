import Glibc

/// Starts a detached pthread running `body` (test servers must not borrow
/// threads from Swift's cooperative pool: they block in poll/accept).
@discardableResult
func spawnThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
  final class Box: @unchecked Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }
  let context = Unmanaged.passRetained(Box(body)).toOpaque()
  var thread = pthread_t()
  let rc = pthread_create(
    &thread, nil,
    { context in
      let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
      box.body()
      return nil
    }, context)
  precondition(rc == 0, "pthread_create failed")
  pthread_detach(thread)
  return thread
}

/// Sleeps the calling (non-cooperative) thread.
func sleepMilliseconds(_ ms: Int) {
  var request = timespec(tv_sec: ms / 1000, tv_nsec: (ms % 1000) * 1_000_000)
  var remaining = timespec()
  while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// Runs blocking `body` on a pthread of its own and awaits the result, so that a blocking
/// call (poll, waitpid, a child process) never holds one of the cooperative pool's threads:
/// there are as many of those as CPUs, and the in-process servers under test need them.
public func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T)
  async throws -> T
{
  try await withCheckedThrowingContinuation { continuation in
    spawnThread { continuation.resume(with: Result { try body() }) }
  }
}

/// ``onDedicatedThread(_:)`` for a body that does not throw.
public func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
  await withCheckedContinuation { continuation in
    spawnThread { continuation.resume(returning: body()) }
  }
}
