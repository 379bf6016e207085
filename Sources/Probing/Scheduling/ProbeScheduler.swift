import AtalayaCore
import Synchronization

/// Runs every check on its interval, at a stable phase offset, never two runs
/// of one check at once.
///
/// Each check has its own task that sleeps until its next slot on the injected
/// clock, runs, and then moves to the next slot in the future (slots missed
/// while a run overran are skipped, not queued). ``apply(_:)`` changes the
/// schedule atomically: unchanged checks keep running undisturbed.
public final class ProbeScheduler<C: Clock>: Sendable where C.Duration == Duration {
  /// What the scheduler calls for each due check, with how late the start is
  /// against the plan.
  public typealias Run = @Sendable (_ id: CheckID, _ lateness: Duration) async -> Void

  private struct Job {
    var entry: ScheduleEntry
    var task: Task<Void, Never>
  }

  private struct State {
    var jobs: [CheckID: Job] = [:]
    var inFlight: [CheckID: (since: C.Instant, timeout: Duration)] = [:]
    var lastTick: C.Instant
    var stopped = false
  }

  private let clock: C
  private let origin: C.Instant
  private let runCheck: Run
  private let tickInterval: Duration
  private let state: Mutex<State>

  /// - Parameters:
  ///   - clock: the clock slots are planned and slept on.
  ///   - tickInterval: how often the scheduler proves it is alive (see ``isProgressing(maxSilence:stuckGrace:)``).
  ///   - run: called for each due check.
  public init(clock: C, tickInterval: Duration = .seconds(1), run: @escaping Run) {
    self.clock = clock
    self.origin = clock.now
    self.runCheck = run
    self.tickInterval = tickInterval
    self.state = Mutex(State(lastTick: clock.now))
  }

  /// The checks currently scheduled.
  public var entries: [ScheduleEntry] {
    state.withLock { $0.jobs.values.map(\.entry) }.sorted { $0.id < $1.id }
  }

  /// How many runs are in progress.
  public var inFlightCount: Int { state.withLock { $0.inFlight.count } }

  /// Replaces the schedule. Checks whose entry is unchanged keep their task;
  /// removed checks are cancelled; changed ones restart after the old run ends.
  public func apply(_ entries: [ScheduleEntry]) {
    let wanted = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    state.withLock { s in
      guard !s.stopped else { return }
      for (id, job) in s.jobs where wanted[id] != job.entry {
        job.task.cancel()
        s.jobs[id] = nil
        if let entry = wanted[id] {
          let previous = job.task
          s.jobs[id] = Job(entry: entry, task: makeTask(entry, after: previous))
        }
      }
      for (id, entry) in wanted where s.jobs[id] == nil {
        s.jobs[id] = Job(entry: entry, task: makeTask(entry, after: nil))
      }
    }
  }

  /// Proves liveness every tick until cancelled, then stops every check and
  /// waits for in-flight runs to end.
  public func run() async {
    while !Task.isCancelled {
      state.withLock { $0.lastTick = clock.now }
      do { try await clock.sleep(for: tickInterval) } catch { break }
    }
    await stop()
  }

  /// Cancels every check and waits for their tasks to finish.
  public func stop() async {
    let tasks = state.withLock { s -> [Task<Void, Never>] in
      s.stopped = true
      let t = s.jobs.values.map(\.task)
      s.jobs = [:]
      return t
    }
    for t in tasks { t.cancel() }
    for t in tasks { await t.value }
  }

  /// True while the tick loop has run within `maxSilence` and no run has
  /// been in flight longer than its timeout plus `stuckGrace`: a stalled
  /// scheduler (or a stuck transport) makes this false.
  public func isProgressing(maxSilence: Duration, stuckGrace: Duration = .seconds(5)) -> Bool {
    let now = clock.now
    return state.withLock { s in
      guard s.lastTick.duration(to: now) <= maxSilence else { return false }
      for (_, f) in s.inFlight where f.since.duration(to: now) > f.timeout + stuckGrace {
        return false
      }
      return true
    }
  }

  /// The first slot of `entry` at or after `instant`.
  func nextSlot(for entry: ScheduleEntry, atOrAfter instant: C.Instant) -> C.Instant {
    let first = origin.advanced(by: entry.phaseOffset)
    let elapsed = first.duration(to: instant)
    if elapsed <= .zero { return first }
    let periods = Int64((elapsed / entry.interval).rounded(.up))
    return first.advanced(by: entry.interval * periods)
  }

  private func makeTask(_ entry: ScheduleEntry, after previous: Task<Void, Never>?) -> Task<
    Void, Never
  > {
    Task { [self] in
      if let previous { await previous.value }
      var slot = nextSlot(for: entry, atOrAfter: clock.now)
      while !Task.isCancelled {
        do { try await clock.sleep(until: slot, tolerance: nil) } catch { return }
        let start = clock.now
        state.withLock { $0.inFlight[entry.id] = (start, entry.timeout) }
        await runCheck(entry.id, slot.duration(to: start))
        state.withLock { _ = $0.inFlight.removeValue(forKey: entry.id) }
        let after = nextSlot(for: entry, atOrAfter: clock.now)
        slot = after > slot ? after : slot.advanced(by: entry.interval)
      }
    }
  }
}

extension Duration {
  /// `self / other` as a floating-point ratio.
  fileprivate static func / (lhs: Duration, rhs: Duration) -> Double {
    lhs.seconds / rhs.seconds
  }
}
