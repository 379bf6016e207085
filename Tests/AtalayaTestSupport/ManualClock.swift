import Synchronization

/// A `Clock` that only moves when a test says so. Sleepers wake when
/// ``advance(by:)`` passes their deadline; ``sleepers`` and
/// ``waitForSleepers(_:)`` let a test wait until the code under test is parked.
public final class ManualClock: Clock, Sendable {
  /// An instant of the manual clock: an offset from its start.
  public struct Instant: InstantProtocol {
    public var offset: Duration

    public init(offset: Duration) { self.offset = offset }

    public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
    public func duration(to other: Instant) -> Duration { other.offset - offset }
    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
  }

  private struct Sleeper {
    var id: UInt64
    var deadline: Instant
    var continuation: CheckedContinuation<Void, any Error>
  }

  private struct State {
    var now = Instant(offset: .zero)
    var nextID: UInt64 = 0
    var sleepers: [Sleeper] = []
  }

  private let state = Mutex(State())

  public init() {}

  public var now: Instant { state.withLock { $0.now } }
  public var minimumResolution: Duration { .zero }

  /// How many tasks are sleeping on this clock right now.
  public var sleepers: Int { state.withLock { $0.sleepers.count } }

  public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
    let id = state.withLock { s -> UInt64 in
      s.nextID += 1
      return s.nextID
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
        let resumeNow: Bool = state.withLock { s in
          if deadline <= s.now || Task.isCancelled { return true }
          s.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: c))
          return false
        }
        if resumeNow { c.resume() }
      }
    } onCancel: {
      let c = state.withLock { s -> CheckedContinuation<Void, any Error>? in
        guard let i = s.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
        return s.sleepers.remove(at: i).continuation
      }
      c?.resume(throwing: CancellationError())
    }
    try Task.checkCancellation()
  }

  /// Moves time forward and wakes every sleeper whose deadline has passed.
  public func advance(by duration: Duration) {
    let woken = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
      s.now = s.now.advanced(by: duration)
      let now = s.now
      let due = s.sleepers.filter { $0.deadline <= now }
      s.sleepers.removeAll { $0.deadline <= now }
      return due.map(\.continuation)
    }
    for c in woken { c.resume() }
  }

  /// Waits (yielding, bounded) until at least `count` tasks sleep on the clock.
  /// Returns false when that did not happen within `attempts` yields.
  @discardableResult
  public func waitForSleepers(_ count: Int, attempts: Int = 100_000) async -> Bool {
    for _ in 0..<attempts {
      if sleepers >= count { return true }
      await Task.yield()
    }
    return sleepers >= count
  }
}
