import Synchronization

/// Records when the agent last made progress, so the watchdog only pings while work
/// really advances.
///
/// The scheduler calls ``beat(at:)`` every time it completes a round of work; the
/// watchdog asks ``isProgressing(now:maxSilence:)``. Generic over the instant type so
/// production uses the monotonic `ContinuousClock` and tests use a manual clock.
public final class ProgressMonitor<Instant: InstantProtocol>: Sendable
where Instant.Duration == Duration {
  private let lastBeat: Mutex<Instant>

  /// Creates a monitor whose silence starts counting at `start` (start-up grace).
  public init(start: Instant) {
    lastBeat = Mutex(start)
  }

  /// Records progress at `instant`. An instant older than the last beat is ignored.
  public func beat(at instant: Instant) {
    lastBeat.withLock { last in
      if instant > last { last = instant }
    }
  }

  /// The instant of the last recorded progress (or the start).
  public var lastProgress: Instant { lastBeat.withLock { $0 } }

  /// True when the last beat is at most `maxSilence` before `now`.
  public func isProgressing(now: Instant, maxSilence: Duration) -> Bool {
    lastBeat.withLock { last in last.duration(to: now) <= maxSilence }
  }
}

extension ProgressMonitor where Instant == ContinuousClock.Instant {
  /// Creates a monitor on the monotonic clock, starting now.
  public convenience init() {
    self.init(start: ContinuousClock.now)
  }

  /// Records progress now.
  public func beat() {
    beat(at: ContinuousClock.now)
  }

  /// A check for ``WatchdogService``: progress within the last `maxSilence`.
  public func progressCheck(maxSilence: Duration) -> @Sendable () -> Bool {
    { [self] in isProgressing(now: ContinuousClock.now, maxSilence: maxSilence) }
  }
}
