import Alerting
import AtalayaCore
import Exposition

extension MetricsRenderer {
  /// atalaya_alerts, rule evaluation counters and the delivery families.
  mutating func writeAlerting(_ m: AlertingMetrics) {
    writer.family(Catalogue.alerts)
    for c in m.counts {
      writer.sample(Catalogue.alerts, c.alertname, c.state.rawValue, value: Double(c.count))
    }
    writer.family(Catalogue.ruleEvaluationsTotal)
    writer.sample(Catalogue.ruleEvaluationsTotal, value: Double(m.evaluations))
    writer.family(Catalogue.ruleEvaluationFailuresTotal)
    writer.sample(Catalogue.ruleEvaluationFailuresTotal, value: Double(m.failures))
    writer.family(Catalogue.silences)
    for state in SilenceRecord.State.allCases {
      writer.sample(Catalogue.silences, state.rawValue, value: Double(m.silences[state] ?? 0))
    }
    writer.family(Catalogue.maintenanceWindowActive)
    for (name, active) in m.maintenance {
      writer.sample(Catalogue.maintenanceWindowActive, name, value: active ? 1 : 0)
    }

    let receivers = m.delivery.receivers.sorted { $0.key < $1.key }
    writer.family(Catalogue.notificationsTotal)
    for (name, r) in receivers {
      writer.sample(Catalogue.notificationsTotal, name, "sent", value: Double(r.sent))
      writer.sample(Catalogue.notificationsTotal, name, "failed", value: Double(r.failed))
      writer.sample(Catalogue.notificationsTotal, name, "dropped", value: Double(r.dropped))
    }
    writer.family(Catalogue.notificationQueueLength)
    for (name, r) in receivers {
      writer.sample(Catalogue.notificationQueueLength, name, value: Double(r.queueLength))
    }
    writer.family(Catalogue.notificationLatencySeconds)
    for (name, r) in receivers {
      writer.histogram(
        Catalogue.notificationLatencySeconds, labelValues: [name],
        upperBounds: DeliveryLatencyHistogram.upperBounds,
        cumulativeCounts: r.latency.cumulativeCounts, sum: r.latency.sum, count: r.latency.count)
    }
  }
}
