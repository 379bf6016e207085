import AtalayaCore
import Synchronization

/// A one-shot gate: tasks `wait()` until a test calls `open()`.
public final class AsyncGate: Sendable {
  private struct State {
    var open = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }
  private let state = Locked(State())

  public init() {}

  public func wait() async {
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
      let resume = state.withLock { s -> Bool in
        if s.open { return true }
        s.waiters.append(c)
        return false
      }
      if resume { c.resume() }
    }
  }

  public func open() async {
    let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
      s.open = true
      defer { s.waiters = [] }
      return s.waiters
    }
    for w in waiters { w.resume() }
  }
}
