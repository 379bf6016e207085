import Alerting
import AtalayaCore
import Logging
import Probing
import Synchronization

/// The agent's alerting: the rule engine behind a lock, its persisted state,
/// and the durable deliverer. One evaluation: gather samples, let the engine
/// decide, queue what it returned in the outbox (written before anything is
/// sent), then save the engine state. A crash in between can at worst repeat
/// a notification, never lose one.
public final class AlertingRuntime: Sendable {
  let engine: Mutex<AlertEngine>
  let deliverer: Deliverer<ContinuousClock>
  let file: StateFile?
  let logger: Logger

  /// - Parameters:
  ///   - stateDir: where `alerts.json` (engine) and `outbox.json` (deliverer) live; nil keeps both in memory.
  ///   - externalURL: the agent's own URL, for generatorURL and the webhook's externalURL.
  public init(
    config: AtalayaConfig, stateDir: String?, transport: any HTTPTransport, externalURL: String,
    timeSource: any TimeSource, console: @escaping @Sendable (String) -> Void = { print($0) },
    logger: Logger
  ) {
    self.logger = logger
    file = stateDir.map { StateFile(path: $0 + "/alerts.json") }
    let generatorURL = externalURL + "/api/v1/alerts"
    engine = Mutex(
      Self.restore(file, generatorURL: generatorURL, now: timeSource.now(), logger: logger))
    deliverer = Deliverer(
      receivers: config.alerting.receivers,
      file: stateDir.map { StateFile(path: $0 + "/outbox.json") },
      transport: transport, clock: ContinuousClock(), timeSource: timeSource,
      externalURL: externalURL, console: console, logger: logger)
  }

  /// Runs one evaluation over `samples` at `now`.
  public func evaluate(samples: [SignalSample], config: AtalayaConfig, at now: Timestamp) {
    let alerting = config.effectiveAlerting
    let (notifications, snapshot) = engine.withLock { e -> ([AlertNotification], AlertEngine) in
      (e.evaluate(samples: samples, config: alerting, at: now), e)
    }
    if !notifications.isEmpty {
      deliverer.enqueue(notifications)
      for n in notifications {
        logger.info(
          "alert notification queued",
          metadata: [
            "receiver": "\(n.receiver)", "alertname": "\(n.groupLabels["alertname"] ?? "")",
            "status": "\(n.status.rawValue)", "alerts": "\(n.alerts.count)",
          ])
      }
    }
    save(snapshot)
  }

  /// Takes a reloaded configuration (receivers may have changed).
  public func apply(_ config: AtalayaConfig) {
    deliverer.apply(receivers: config.alerting.receivers)
  }

  /// Active alerts, for GET /api/v1/alerts.
  public func activeAlerts(at now: Timestamp) -> [ActiveAlert] {
    engine.withLock { $0.activeAlerts(at: now) }
  }

  /// What /metrics needs.
  func metrics() -> AlertingMetrics {
    let (counts, evaluations, failures) = engine.withLock {
      ($0.alertCounts(), $0.evaluationsTotal, $0.evaluationFailuresTotal)
    }
    return AlertingMetrics(
      counts: counts, evaluations: evaluations, failures: failures, delivery: deliverer.metrics)
  }

  /// Saves the engine state (also called at shutdown).
  func saveNow() {
    save(engine.withLock { $0 })
  }

  private func save(_ snapshot: AlertEngine) {
    guard let file else { return }
    do {
      try file.write(try snapshot.encodedJSON())
    } catch {
      logger.error(
        "could not save alert state", metadata: ["path": "\(file.path)", "error": "\(error)"])
    }
  }

  private static func restore(
    _ file: StateFile?, generatorURL: String, now: Timestamp, logger: Logger
  )
    -> AlertEngine
  {
    let fresh = AlertEngine(generatorURL: generatorURL)
    guard let file else { return fresh }
    do {
      guard let bytes = try file.read() else { return fresh }
      var engine = try AlertEngine.decode(json: bytes)
      engine.generatorURL = generatorURL
      logger.info("restored alert state", metadata: ["path": "\(file.path)"])
      return engine
    } catch {
      let aside = try? file.setAside(now: now)
      logger.error(
        "alert state unusable; set aside",
        metadata: ["error": "\(error)", "moved_to": "\(aside ?? "(could not move)")"])
      return fresh
    }
  }
}

/// Alerting numbers for /metrics.
struct AlertingMetrics {
  var counts: [AlertCount]
  var evaluations: UInt64
  var failures: UInt64
  var delivery: DeliveryMetrics
}
