import Alerting
import AtalayaCore
import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// Evaluates the alert rules every `evaluation_interval` (read anew each round, so a
/// reload takes effect) on the injected clock, until graceful shutdown.
///
/// One evaluation: gather samples from the read models, let the engine decide (on a
/// copy), queue what it returned in the outbox — written before anything is sent —
/// and only then install the new engine state. When the outbox cannot be written the
/// evaluation is discarded: nothing is marked notified, and the next evaluation
/// produces the notifications again. `alerts.json` is written when its durable part
/// changed, and once more at shutdown.
public final class AlertEvaluationService<C: Clock>: Service, Sendable
where C.Duration == Duration {
  /// What one evaluation did.
  public enum Evaluation: Sendable, Equatable {
    /// The engine state was installed; `queued` notifications went to the outbox.
    case evaluated(queued: Int)
    /// The outbox could not be written: the evaluation was discarded.
    case outboxWriteFailed
  }

  private let clock: C
  private let time: any TimeSource
  private let current: CurrentConfig
  private let health: HealthStore
  private let cost: CostTracker
  private let history: HistoryStore
  private let routes: RouteStore
  private let events: EvaluationEvents
  private let alerts: AlertStore
  private let silences: SilenceStore
  private let deliverer: Deliverer<C>
  private let store: StateStore
  private let saved: SavedEngine
  private let logger: Logger
  private let onEvaluation: (@Sendable (Evaluation) -> Void)?

  init(
    clock: C, time: any TimeSource, current: CurrentConfig, health: HealthStore,
    cost: CostTracker, history: HistoryStore, routes: RouteStore, events: EventHub,
    alerts: AlertStore, silences: SilenceStore, deliverer: Deliverer<C>,
    store: StateStore, logger: Logger, onEvaluation: (@Sendable (Evaluation) -> Void)?
  ) {
    self.history = history
    self.routes = routes
    self.events = EvaluationEvents(hub: events)
    self.clock = clock
    self.time = time
    self.current = current
    self.health = health
    self.cost = cost
    self.alerts = alerts
    self.silences = silences
    self.deliverer = deliverer
    self.store = store
    self.saved = SavedEngine(alerts.current)
    self.logger = logger
    self.onEvaluation = onEvaluation
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        do {
          try await self.clock.sleep(for: self.current.config.alerting.evaluationInterval)
        } catch {
          return
        }
        _ = await self.evaluate()
      }
    }
    await save(alerts.current, final: true)
  }

  /// Runs one evaluation now.
  public func evaluate() async -> Evaluation {
    let now = time.now()
    let config = current.config
    await silences.prune(at: now)
    let muting = silences.muting(config, at: now)
    let fleet = health.view(at: now)
    var planned: [String: [String]] = [:]
    for event in history.observe(fleet) {
      log(event)
      events.incident(event, at: now)
      // An incident that opens inside a maintenance window is planned work.
      if case .opened(let incident) = event {
        let names = config.alerting.maintenance(of: incident.provider, at: now).map(\.name)
        if !names.isEmpty { planned[incident.provider] = names }
      }
    }
    history.recordMaintenance(planned)
    let costView = cost.view(at: now)
    let routed = routes.evaluate(
      fleet: fleet, traffic: cost.trafficStats(at: now), budgets: costView.budgets,
      silences: muting, at: now)
    for change in routed.changes {
      events.routeChoice(route: change.route, from: change.from, to: change.to, at: now)
      logger.notice(
        "route choice changed",
        metadata: [
          "route": "\(change.route)",
          "from": "\(change.from.map { "\($0.provider)/\($0.model)" } ?? "none")",
          "to": "\(change.to.map { "\($0.provider)/\($0.model)" } ?? "none")",
        ])
    }
    let samples = AlertInputs.samples(
      fleet: fleet, cost: costView, traffic: cost.trafficSignals(at: now),
      slos: history.read { $0.sloStatuses(at: now) }, routes: routed.views, at: now)
    var next = alerts.current
    var alerting = config.effectiveAlerting
    alerting.silences = muting
    let notifications = next.evaluate(samples: samples, config: alerting, at: now)
    history.recordFiring(
      next.activeAlerts(at: now).compactMap { a in
        guard a.state == .firing, let provider = a.labels["provider"] else { return nil }
        return (a.alertname, provider)
      })
    if !notifications.isEmpty {
      guard await deliverer.enqueue(notifications) else {
        logger.error(
          """
          alert notifications not queued: the outbox could not be written; \
          they are produced again at the next evaluation
          """,
          metadata: ["notifications": "\(notifications.count)"])
        onEvaluation?(.outboxWriteFailed)
        return .outboxWriteFailed
      }
      for n in notifications {
        logger.info(
          "alert notification queued",
          metadata: [
            "receiver": "\(n.receiver)", "alertname": "\(n.groupLabels["alertname"] ?? "")",
            "status": "\(n.status.rawValue)", "alerts": "\(n.alerts.count)",
          ])
      }
    }
    alerts.commit(next)
    events.publish(
      fleet: fleet, active: next.activeAlerts(at: now), budgets: costView.budgets, at: now)
    await save(next, final: false)
    let result = Evaluation.evaluated(queued: notifications.count)
    onEvaluation?(result)
    return result
  }

  private func log(_ event: IncidentLog.Event) {
    switch event {
    case .opened(let i):
      logger.notice(
        "incident opened",
        metadata: ["id": "\(i.id)", "provider": "\(i.provider)", "impact": "\(i.impact.rawValue)"])
    case .resolved(let i):
      logger.notice(
        "incident resolved",
        metadata: [
          "id": "\(i.id)", "provider": "\(i.provider)", "impact": "\(i.impact.rawValue)",
          "duration": "\(formatDuration(i.duration(at: i.endedAt ?? i.startedAt)))",
        ])
    }
  }

  /// Writes `alerts.json` when its durable part changed (or anything changed, at shutdown).
  private func save(_ engine: AlertEngine, final: Bool) async {
    guard saved.needsWrite(engine, final: final) else { return }
    let bytes: [UInt8]
    do {
      bytes = try engine.encodedJSON()
    } catch {
      logger.error("cannot encode the alert state", metadata: ["error": "\(error)"])
      return
    }
    if await store.write(StateFileName.alerts, bytes) {
      saved.wrote(engine)
    }
  }
}

/// What was last written to `alerts.json`, to write it only when it changed.
final class SavedEngine: Sendable {
  private let last: Locked<AlertEngine>

  init(_ engine: AlertEngine) { last = Locked(engine) }

  func needsWrite(_ engine: AlertEngine, final: Bool) -> Bool {
    last.withLock { last in
      final ? last != engine : last.durableState != engine.durableState
    }
  }

  func wrote(_ engine: AlertEngine) { last.withLock { $0 = engine } }
}
