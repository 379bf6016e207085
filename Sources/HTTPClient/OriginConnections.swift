/// How many connections the loop keeps per origin, and which transfers wait for
/// one of them (the loop thread's bookkeeping; pure, no libcurl, no clock).
///
/// An HTTP/1.1 connection carries one transfer at a time, so libcurl opened one
/// connection per concurrent transfer and cached every one of them for up to two
/// minutes: the number of open sockets followed the busiest moment of the last two
/// minutes. Here at most `kept` transfers per origin run at once on connections
/// that go back to the cache (*keepers*; the loop keeps one by default: a second
/// one is used only when two transfers overlap, so it would close after two idle
/// minutes and open again at the next overlap). A transfer that finds them all busy
/// waits for one, in order, up to the loop's overflow wait; past it, it runs on a
/// fresh connection closed when it ends, so a slow or hung origin never holds
/// probes back for long. Its clock starts when it leaves the queue: the wait is
/// not measured as the provider's latency. An origin seen answering over HTTP/2
/// multiplexes every transfer on one connection, so nothing waits for it. (libcurl
/// reuses an SMTP connection only for the same account, so an SMTP origin used with
/// several accounts may keep one idle connection per account.)
struct OriginConnections<Waiter> {
  /// What a starting transfer does.
  enum Admission: Equatable {
    /// Runs now on a kept connection.
    case keep
    /// Waits for a kept connection (``finish(origin:counted:multiplexed:)`` hands
    /// it one) or for the overflow wait (``removeWaiters(matching:)``).
    case wait
  }

  /// One origin's transfers in flight and waiting.
  private struct OriginState {
    /// Keepers in flight that were counted against `kept`.
    var counted = 0
    var multiplexed = false
    var waiting: [Waiter] = []

    var isIdle: Bool { counted == 0 && waiting.isEmpty }
  }

  /// Connections kept per origin (at least 1).
  let kept: Int
  private var origins: [Int: OriginState] = [:]
  /// Transfers waiting, over every origin.
  private(set) var waiterCount = 0
  /// Idle origins known to multiplex are remembered up to this many tracked origins.
  static var rememberedOrigins: Int { 256 }

  init(kept: Int) { self.kept = max(1, kept) }

  /// Origins tracked: with transfers counted or waiting, or known to multiplex.
  var trackedOrigins: Int { origins.count }

  /// The longest-waiting transfer of each origin with waiters.
  var oldestWaiters: [Waiter] {
    guard waiterCount > 0 else { return [] }
    return origins.values.compactMap(\.waiting.first)
  }

  /// Registers `waiter`, a transfer to `origin`, starting now. `.keep` with
  /// `counted` true when it holds one of the origin's kept slots (pass it back to
  /// ``finish(origin:counted:multiplexed:)``); `.wait` when it was queued.
  mutating func admit(_ waiter: Waiter, origin: Int) -> (admission: Admission, counted: Bool) {
    var state = origins[origin] ?? OriginState()
    if state.multiplexed { return (.keep, false) }
    if state.counted < kept {
      state.counted += 1
      origins[origin] = state
      return (.keep, true)
    }
    state.waiting.append(waiter)
    waiterCount += 1
    origins[origin] = state
    return (.wait, false)
  }

  /// Registers the end of a transfer `admit` kept; `multiplexed` is what its
  /// response showed (nil when nothing came back). Returns the waiters that may run
  /// now on kept connections (each counted, unless the origin multiplexes).
  mutating func finish(origin: Int, counted: Bool, multiplexed: Bool?) -> [(Waiter, counted: Bool)]
  {
    var state = origins[origin] ?? OriginState()
    if counted { state.counted = max(0, state.counted - 1) }
    if let multiplexed { state.multiplexed = multiplexed }
    var ready: [(Waiter, counted: Bool)] = []
    if state.multiplexed {
      ready = state.waiting.map { ($0, counted: false) }
      state.waiting = []
    } else {
      while state.counted < kept, !state.waiting.isEmpty {
        state.counted += 1
        ready.append((state.waiting.removeFirst(), counted: true))
      }
    }
    waiterCount -= ready.count
    store(state, for: origin)
    return ready
  }

  private mutating func store(_ state: OriginState, for origin: Int) {
    let forget =
      state.isIdle && (!state.multiplexed || origins.count > Self.rememberedOrigins)
    origins[origin] = forget ? nil : state
  }

  /// Removes and returns every waiter `matching` selects, on any origin: the ones
  /// that waited past the overflow wait (they run on fresh connections of their
  /// own) or were cancelled.
  mutating func removeWaiters(matching: (Waiter) -> Bool) -> [Waiter] {
    guard waiterCount > 0 else { return [] }
    var taken: [Waiter] = []
    for (origin, var state) in origins where state.waiting.contains(where: matching) {
      taken.append(contentsOf: state.waiting.filter(matching))
      state.waiting.removeAll(where: matching)
      store(state, for: origin)
    }
    waiterCount -= taken.count
    return taken
  }

  /// A key for the origin (scheme, host and port, case-folded, without user info)
  /// of `url`; no allocation. An explicit default port gets a key of its own, so
  /// such an origin may keep `kept` connections under each spelling.
  static func key(of url: String) -> Int {
    var hasher = Hasher()
    var utf8 = url.utf8.makeIterator()
    // Scheme and "://".
    var slashes = 0
    while let byte = utf8.next() {
      hasher.combine(lowercased(byte))
      if byte == UInt8(ascii: "/") {
        slashes += 1
        if slashes == 2 { break }
      }
    }
    // Authority: up to the path, query or fragment; user info ends at its first "@",
    // as libcurl parses it.
    var authority = Hasher()
    var inUserInfo = true
    while let byte = utf8.next() {
      if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") {
        break
      }
      if byte == UInt8(ascii: "@"), inUserInfo {
        authority = Hasher()
        inUserInfo = false
        continue
      }
      authority.combine(lowercased(byte))
    }
    hasher.combine(authority.finalize())
    return hasher.finalize()
  }

  private static func lowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }
}
