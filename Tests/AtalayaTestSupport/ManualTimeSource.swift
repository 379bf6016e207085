import AtalayaCore
import Synchronization

/// A time source tests move by hand: no test waits for wall-clock time.
public final class ManualTimeSource: TimeSource {
  private let current: Locked<Timestamp>

  public init(_ start: Timestamp = Timestamp(seconds: 1_800_000_000)) {
    current = Locked(start)
  }

  public func now() -> Timestamp { current.withLock { $0 } }

  /// Moves time forward by `duration`.
  public func advance(by duration: Duration) {
    current.withLock { $0 = $0 + duration }
  }

  /// Sets the time.
  public func set(_ t: Timestamp) {
    current.withLock { $0 = t }
  }
}
