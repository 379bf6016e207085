import AtalayaCore
import Synchronization

/// Events the code under test reports (outcomes, evaluations, requests a test server
/// received), in order, and a way to wait for them: ``wait(until:)`` is resumed by the
/// append that makes its condition true, never by polling. Bound waits with a test
/// time limit.
public final class EventLog<Event: Sendable>: Sendable {
  private struct Waiter {
    var condition: @Sendable ([Event]) -> Bool
    var continuation: CheckedContinuation<[Event], Never>
  }

  private struct State {
    var events: [Event] = []
    var waiters: [Waiter] = []
  }

  private let state = Locked(State())

  public init() {}

  /// Every event so far.
  public var all: [Event] { state.withLock { $0.events } }

  public var count: Int { state.withLock { $0.events.count } }

  public func append(_ event: Event) {
    let ready = state.withLock { s -> [(CheckedContinuation<[Event], Never>, [Event])] in
      s.events.append(event)
      let events = s.events
      var ready: [(CheckedContinuation<[Event], Never>, [Event])] = []
      s.waiters.removeAll { waiter in
        guard waiter.condition(events) else { return false }
        ready.append((waiter.continuation, events))
        return true
      }
      return ready
    }
    for (continuation, events) in ready { continuation.resume(returning: events) }
  }

  /// Returns the events once `condition` holds for them.
  @discardableResult
  public func wait(until condition: @escaping @Sendable ([Event]) -> Bool) async -> [Event] {
    await withCheckedContinuation { continuation in
      let now = state.withLock { s -> [Event]? in
        if condition(s.events) { return s.events }
        s.waiters.append(Waiter(condition: condition, continuation: continuation))
        return nil
      }
      if let now { continuation.resume(returning: now) }
    }
  }

  /// Waits until there are at least `count` events.
  @discardableResult
  public func wait(count: Int) async -> [Event] {
    await wait { $0.count >= count }
  }
}
