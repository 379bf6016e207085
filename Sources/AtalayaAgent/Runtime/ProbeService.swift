import AtalayaCore
import Logging
import Probing
import ServiceLifecycle
import Systemd

/// Runs the probe schedule on the injected clock: each due check is probed (skipped
/// while its circuit is open) and its outcome recorded in health and cost.
///
/// Probes this service cancelled itself — at shutdown, or because a reload changed or
/// removed the check — record nothing anywhere: the provider did nothing wrong.
public final class ProbeService<C: Clock>: Service, Sendable where C.Duration == Duration {
  /// The schedule; only this service starts probes.
  public let scheduler: ProbeScheduler<C>
  private let current: CurrentConfig
  private let readiness: Readiness
  /// One probe of one check (what the scheduler runs).
  let probe: ProbeRun

  init(
    clock: C, coalescing: Duration = .zero, current: CurrentConfig, readiness: Readiness,
    run: ProbeRun
  ) {
    self.current = current
    self.readiness = readiness
    self.probe = run
    scheduler = ProbeScheduler(clock: clock, coalescing: coalescing) { id, _ in await run(id) }
  }

  /// Takes a new configuration: unchanged checks keep their slots.
  func apply(_ config: AtalayaConfig) {
    scheduler.apply(Self.entries(config))
  }

  public func run() async throws {
    apply(current.config)
    readiness.schedulerArmed()
    await cancelWhenGracefulShutdown {
      await self.scheduler.run()
    }
    await scheduler.stop()
  }

  static func entries(_ config: AtalayaConfig) -> [ScheduleEntry] {
    config.allChecks.map { p, c in
      ScheduleEntry(id: c.id(provider: p.name), interval: c.interval, timeout: c.timeout)
    }
  }
}

/// One probe of one check, from target to recorded outcome. A value the scheduler's
/// closure holds: it reaches the stores, never back into a service.
struct ProbeRun: Sendable {
  /// Called after each recorded outcome (the demo's console, the event tests).
  typealias Observer = @Sendable (ProbeOutcome) -> Void

  let health: HealthStore
  let cost: CostTracker
  let history: HistoryStore
  let events: EventHub
  let prober: Prober
  let time: any TimeSource
  let readiness: Readiness
  let notifier: SystemdNotifier
  let logger: Logger
  let observer: Observer?

  func callAsFunction(_ id: CheckID) async {
    let now = time.now()
    guard let target = health.target(id, at: now) else {
      if health.isCircuitOpen(id, at: now) { history.recordHeld(id, at: now) }
      return
    }
    let outcome = await prober.probe(
      provider: target.provider, check: target.check, request: target.request)
    // Cancelled by the agent (shutdown, reload): not an outcome of the provider's.
    guard let outcome, !Task.isCancelled else { return }
    record(outcome)
  }

  func record(_ outcome: ProbeOutcome) {
    let now = time.now()
    var outcome = outcome
    // A spent OpenRouter key without a reset in the response: its account says when.
    if outcome.result == .quotaExhausted, outcome.resumeAt == nil {
      outcome.resumeAt = cost.accountLimitResetsAt(provider: outcome.check.provider, after: now)
    }
    cost.recordProbe(outcome)
    let recorded = health.record(outcome, at: now)
    history.record(outcome)
    if let transition = recorded.transition {
      var metadata: Logger.Metadata = [
        "provider": "\(outcome.check.provider)", "model": "\(outcome.check.model)",
        "result": "\(outcome.result.rawValue)",
      ]
      if let reason = transition.reason { metadata["reason"] = "\(reason.rawValue)" }
      if let retryAt = transition.retryAt { metadata["retry_at"] = "\(RFC3339.format(retryAt))" }
      logger.notice(
        "circuit \(transition.from.rawValue) -> \(transition.to.rawValue)", metadata: metadata)
      events.publish(
        .circuit,
        .members([
          ("provider", .string(outcome.check.provider)), ("model", .string(outcome.check.model)),
          ("from", .string(transition.from.rawValue)), ("to", .string(transition.to.rawValue)),
          ("reason", .string(transition.reason?.rawValue)),
          ("result", .string(outcome.result.rawValue)),
          ("retry_at", .string(transition.retryAt.map(RFC3339.format))),
        ]), at: now)
    }
    if !outcome.result.isSuccess {
      logger.debug(
        "probe failed",
        metadata: [
          "provider": "\(outcome.check.provider)", "model": "\(outcome.check.model)",
          "result": "\(outcome.result.rawValue)", "message": "\(outcome.message ?? "")",
        ])
    }
    if let line = recorded.statusLine, readiness.isReady { notifier.status(line) }
    observer?(outcome)
  }
}
