import AtalayaCore
import Synchronization

/// Runs every check on its interval, at a stable phase offset, never two runs
/// of one check at once.
///
/// Every check runs as a child task of ``run()`` (structured: nothing outlives it). A
/// check sleeps until its next slot on the injected clock, runs, and then moves to the
/// next slot in the future (slots missed while a run overran are skipped, not queued).
/// ``apply(_:)`` changes the schedule atomically: unchanged checks keep running
/// undisturbed, removed ones are stopped (their run in flight is cancelled), changed ones
/// restart once the old run has ended. Checks applied before ``run()`` starts begin with it.
public final class ProbeScheduler<C: Clock>: Sendable where C.Duration == Duration {
  /// What the scheduler calls for each due check, with how late the start is
  /// against the plan.
  public typealias Run = @Sendable (_ id: CheckID, _ lateness: Duration) async -> Void

  /// One check's child task, as the state knows it.
  private struct Job {
    var entry: ScheduleEntry
    /// Finishing it stops the job.
    var stop: AsyncStream<Void>.Continuation
    var stopSignal: AsyncStream<Void>
    /// Tells this job from a later one of the same check.
    var token: UInt64
    var started = false
  }

  private struct State {
    /// The jobs wanted now, by check.
    var jobs: [CheckID: Job] = [:]
    /// Jobs told to stop whose task has not ended yet: a replacement waits for them.
    var stopping: Set<CheckID> = []
    var inFlight: [CheckID: (since: C.Instant, timeout: Duration)] = [:]
    var lastTick: C.Instant
    var stopped = false
    var nextToken: UInt64 = 0

    /// Whether the job `token` of `id` is still wanted (a stop takes effect at once,
    /// before its task has noticed).
    func wants(_ id: CheckID, token: UInt64) -> Bool {
      !stopped && jobs[id]?.token == token
    }
  }

  private let clock: C
  private let origin: C.Instant
  private let runCheck: Run
  private let tickInterval: Duration
  private let state: Locked<State>
  /// Wakes ``run()`` to start what ``apply(_:)`` or an ended job left to start.
  private let wakeups: AsyncStream<Void>
  private let wake: AsyncStream<Void>.Continuation

  /// - Parameters:
  ///   - clock: the clock slots are planned and slept on.
  ///   - tickInterval: how often the scheduler proves it is alive (see ``isProgressing(maxSilence:stuckGrace:)``).
  ///   - run: called for each due check.
  public init(clock: C, tickInterval: Duration = .seconds(1), run: @escaping Run) {
    self.clock = clock
    self.origin = clock.now
    self.runCheck = run
    self.tickInterval = tickInterval
    self.state = Locked(State(lastTick: clock.now))
    (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
  }

  /// The checks currently scheduled.
  public var entries: [ScheduleEntry] {
    state.withLock { $0.jobs.values.map(\.entry) }.sorted { $0.id < $1.id }
  }

  /// How many runs are in progress.
  public var inFlightCount: Int { state.withLock { $0.inFlight.count } }

  /// Replaces the schedule. Checks whose entry is unchanged keep their task;
  /// removed checks are stopped; changed ones restart after the old run ends.
  public func apply(_ entries: [ScheduleEntry]) {
    let wanted = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let stops = state.withLock { s -> [AsyncStream<Void>.Continuation] in
      guard !s.stopped else { return [] }
      var stops: [AsyncStream<Void>.Continuation] = []
      for (id, job) in s.jobs where wanted[id] != job.entry {
        stops.append(job.stop)
        if job.started { s.stopping.insert(id) }
        s.jobs[id] = nil
      }
      for (id, entry) in wanted where s.jobs[id] == nil {
        let (signal, stop) = AsyncStream<Void>.makeStream()
        s.nextToken += 1
        s.jobs[id] = Job(entry: entry, stop: stop, stopSignal: signal, token: s.nextToken)
      }
      return stops
    }
    for stop in stops { stop.finish() }
    wake.yield()
  }

  /// Runs the schedule until cancelled or ``stop()``: every check as a child task, and
  /// a tick that proves liveness. Returns once every check's task has ended.
  public func run() async {
    await withDiscardingTaskGroup { group in
      group.addTask { await self.tick() }
      await withTaskCancellationHandler {
        for await _ in wakeups {
          for (entry, signal, token) in startable() {
            group.addTask { await self.job(entry, stopSignal: signal, token: token) }
          }
        }
      } onCancel: {
        self.wake.finish()
      }
      finishAll()
      group.cancelAll()
    }
  }

  /// Stops every check (runs in flight are cancelled) and makes ``run()`` return.
  public func stop() async {
    state.withLock { $0.stopped = true }
    finishAll()
    wake.finish()
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

  // MARK: Tasks

  /// The jobs to start now: wanted, not started, and not waiting for an old run to end.
  private func startable() -> [(ScheduleEntry, AsyncStream<Void>, UInt64)] {
    state.withLock { s in
      guard !s.stopped else { return [] }
      var ready: [(ScheduleEntry, AsyncStream<Void>, UInt64)] = []
      for (id, job) in s.jobs where !job.started && !s.stopping.contains(id) {
        s.jobs[id]?.started = true
        ready.append((job.entry, job.stopSignal, job.token))
      }
      return ready
    }
  }

  private func finishAll() {
    let stops = state.withLock { s -> [AsyncStream<Void>.Continuation] in
      s.stopped = true
      let stops = s.jobs.values.map(\.stop)
      s.jobs = [:]
      return stops
    }
    for stop in stops { stop.finish() }
  }

  private func tick() async {
    while !Task.isCancelled {
      state.withLock { $0.lastTick = clock.now }
      do { try await clock.sleep(for: tickInterval) } catch { return }
    }
  }

  /// One check until its stop signal (or the run's cancellation).
  private func job(_ entry: ScheduleEntry, stopSignal: AsyncStream<Void>, token: UInt64) async {
    await withTaskGroup(of: Void.self) { inner in
      inner.addTask { await self.loop(entry, token: token) }
      inner.addTask { for await _ in stopSignal {} }
      await inner.next()
      inner.cancelAll()
    }
    state.withLock { s in
      s.stopping.remove(entry.id)
      _ = s.inFlight.removeValue(forKey: entry.id)
    }
    wake.yield()
  }

  private func loop(_ entry: ScheduleEntry, token: UInt64) async {
    var slot = nextSlot(for: entry, atOrAfter: clock.now)
    while !Task.isCancelled {
      do { try await clock.sleep(until: slot, tolerance: nil) } catch { return }
      let start = clock.now
      // Stopped while the sleep was ending: never start a run after the stop.
      let wanted = state.withLock { s -> Bool in
        guard s.wants(entry.id, token: token) else { return false }
        s.inFlight[entry.id] = (start, entry.timeout)
        return true
      }
      guard wanted, !Task.isCancelled else { return }
      await runCheck(entry.id, slot.duration(to: start))
      state.withLock { _ = $0.inFlight.removeValue(forKey: entry.id) }
      let after = nextSlot(for: entry, atOrAfter: clock.now)
      slot = after > slot ? after : slot.advanced(by: entry.interval)
    }
  }
}

extension Duration {
  /// `self / other` as a floating-point ratio.
  fileprivate static func / (lhs: Duration, rhs: Duration) -> Double {
    lhs.seconds / rhs.seconds
  }
}
