import AtalayaCore

/// Runs async critical sections one at a time, in arrival order, without blocking a
/// thread while waiting (a FIFO async mutex). For rare writes whose "change, then save"
/// must not interleave with another's.
final class AsyncSerialGate: Sendable {
  private let state = Locked<(busy: Bool, waiters: [CheckedContinuation<Void, Never>])>(
    (false, []))

  /// Runs `body` once every earlier caller's body has finished.
  func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
    await enter()
    let result = await body()
    leave()
    return result
  }

  private func enter() async {
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
      let admitted = state.withLock { s -> Bool in
        guard s.busy else {
          s.busy = true
          return true
        }
        s.waiters.append(c)
        return false
      }
      if admitted { c.resume() }
    }
  }

  private func leave() {
    let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
      guard !s.waiters.isEmpty else {
        s.busy = false
        return nil
      }
      return s.waiters.removeFirst()
    }
    next?.resume()
  }
}
