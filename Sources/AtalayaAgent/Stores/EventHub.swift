import AtalayaCore
import Synchronization

/// The live event stream: a ring of recent events and the subscribers of
/// `GET /api/v1/events`, each with a bounded buffer.
///
/// A subscriber that cannot keep up (more than ``slack`` frames queued beyond its backlog)
/// is disconnected, never buffered without bound; at most `maxSubscribers` at once. Frames
/// are yielded outside the lock.
public final class EventHub: Sendable {
  /// Frames a subscriber may fall behind the live stream before it is disconnected.
  public static let slack = 128
  /// The comment line that keeps proxies from closing an idle stream.
  public static let keepAlive = Array(": keep-alive\n\n".utf8)
  /// The first frame of every stream.
  public static let hello = Array(": atalaya events\n\n".utf8)

  struct Subscriber {
    var continuation: AsyncStream<[UInt8]>.Continuation
    var types: Set<AgentEventType>?
  }

  struct State {
    var ring: EventRing
    var subscribers: [Int: Subscriber] = [:]
    var nextSubscriber = 0
    var maxSubscribers: Int
    var closed = false
    var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
  }

  private let state: Locked<State>

  public init(firstID: UInt64, maxSubscribers: Int = 64, capacity: Int = EventRing.defaultCapacity)
  {
    state = Locked(
      State(ring: EventRing(capacity: capacity, firstID: firstID), maxSubscribers: maxSubscribers))
  }

  public func configure(maxSubscribers: Int) {
    state.withLock { $0.maxSubscribers = maxSubscribers }
  }

  /// Appends an event and sends it to the subscribers that want its type.
  public func publish(_ type: AgentEventType, _ data: JSONValue, at now: Timestamp) {
    let (event, targets) = state.withLock {
      s -> (AgentEvent, [(Int, AsyncStream<[UInt8]>.Continuation)]) in
      let e = s.ring.append(type, data, at: now)
      let targets = s.subscribers.compactMap { id, sub in
        sub.types.map { $0.contains(type) } ?? true ? (id, sub.continuation) : nil
      }
      return (e, targets)
    }
    send(event.frame, to: targets)
  }

  /// Sends the keep-alive comment to every subscriber.
  public func keepAlive() {
    let targets = state.withLock { s in s.subscribers.map { ($0.key, $0.value.continuation) } }
    send(Self.keepAlive, to: targets)
  }

  private func send(_ frame: [UInt8], to targets: [(Int, AsyncStream<[UInt8]>.Continuation)]) {
    for (id, continuation) in targets {
      if case .dropped = continuation.yield(frame) {
        // Too far behind: disconnected, not buffered without bound.
        continuation.finish()
        remove(id)
      }
    }
  }

  /// What a new subscription gets.
  public enum Subscription: Sendable {
    case stream(AsyncStream<[UInt8]>)
    /// At the subscriber limit.
    case full(limit: Int)
  }

  /// Subscribes: with `lastEventID`, the retained events after it come first (after a
  /// `reset` event when some were missed); `types` filters (nil: all).
  public func subscribe(lastEventID: UInt64?, types: Set<AgentEventType>?, at now: Timestamp)
    -> Subscription
  {
    let result = state.withLock { s -> Subscription in
      guard !s.closed, s.subscribers.count < s.maxSubscribers else {
        return .full(limit: s.maxSubscribers)
      }
      // A first comment sends the response head at once (and says what this is).
      var backlog: [[UInt8]] = [Self.hello]
      if let lastEventID {
        let (events, missed) = s.ring.after(lastEventID)
        if missed {
          let reset = AgentEvent(
            id: lastEventID, type: .reset,
            data: .members([
              ("reason", .string("events after \(lastEventID) are no longer kept")),
              ("oldest_id", .number(events.first.map { Double($0.id) })),
            ]), at: now)
          backlog.append(reset.frame)
        }
        backlog += events.filter { e in types.map { $0.contains(e.type) } ?? true }.map(\.frame)
      }
      let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(
        bufferingPolicy: .bufferingOldest(backlog.count + Self.slack))
      for frame in backlog { continuation.yield(frame) }
      let id = s.nextSubscriber
      s.nextSubscriber += 1
      s.subscribers[id] = Subscriber(continuation: continuation, types: types)
      continuation.onTermination = { [weak self] _ in self?.remove(id) }
      return .stream(stream)
    }
    let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
      let n = s.subscribers.count
      let done = s.waiters.filter { $0.count <= n }.map(\.continuation)
      s.waiters.removeAll { $0.count <= n }
      return done
    }
    for c in ready { c.resume() }
    return result
  }

  private func remove(_ id: Int) {
    _ = state.withLock { $0.subscribers.removeValue(forKey: id) }
  }

  /// Returns once at least `count` subscribers are connected (tests: a page has connected).
  public func waitForSubscribers(_ count: Int) async {
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
      let now = state.withLock { s -> Bool in
        if s.subscribers.count >= count { return true }
        s.waiters.append((count, c))
        return false
      }
      if now { c.resume() }
    }
  }

  /// How many subscribers are connected.
  public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

  /// The retained events (tests, the status page).
  public var recent: [AgentEvent] { state.withLock { $0.ring.all } }

  /// Ends every stream (graceful shutdown: the HTTP server waits for open responses).
  public func finishAll() {
    let all = state.withLock { s -> [AsyncStream<[UInt8]>.Continuation] in
      s.closed = true
      defer { s.subscribers = [:] }
      return s.subscribers.values.map(\.continuation)
    }
    for c in all { c.finish() }
  }
}
