import Alerting
import AtalayaCore
import Synchronization

/// The alert engine's state behind a lock: written only by the evaluation service (one
/// evaluation at a time), read by /api/v1/alerts and /metrics.
public final class AlertStore: Sendable {
  private let engine: Locked<AlertEngine>

  public init(_ engine: AlertEngine) { self.engine = Locked(engine) }

  /// The engine as it is now (a value: evaluating a copy changes nothing here).
  public var current: AlertEngine { engine.withLock { $0 } }

  /// Installs the engine an evaluation produced.
  func commit(_ next: AlertEngine) { engine.withLock { $0 = next } }

  /// Active alerts, for GET /api/v1/alerts.
  public func activeAlerts(at now: Timestamp) -> [ActiveAlert] {
    engine.withLock { $0.activeAlerts(at: now) }
  }

  /// Alert counts and evaluation counters for /metrics.
  func metrics(
    delivery: DeliveryMetrics, silences: [SilenceRecord.State: Int] = [:],
    maintenance: [(String, Bool)] = []
  ) -> AlertingMetrics {
    let (counts, evaluations, failures) = engine.withLock {
      ($0.alertCounts(), $0.evaluationsTotal, $0.evaluationFailuresTotal)
    }
    return AlertingMetrics(
      counts: counts, evaluations: evaluations, failures: failures, delivery: delivery,
      silences: silences, maintenance: maintenance)
  }
}

/// Alerting numbers for /metrics.
struct AlertingMetrics {
  var counts: [AlertCount]
  var evaluations: UInt64
  var failures: UInt64
  var delivery: DeliveryMetrics
  /// Silences by state (config and API).
  var silences: [SilenceRecord.State: Int] = [:]
  /// Each maintenance window and whether it is in force.
  var maintenance: [(String, Bool)] = []
}
