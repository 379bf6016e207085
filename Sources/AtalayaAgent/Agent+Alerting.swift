import AtalayaCore

extension Agent {
  /// One rule evaluation over the current health, spend and traffic.
  public func evaluateAlerts() {
    let now = timeSource.now()
    let (view, config) = state.withLock { s in
      s.fleet.cacheStats(at: now)
      return (s.fleet.view(at: now), s.fleet.config)
    }
    let samples = AlertInputs.samples(
      fleet: view, cost: cost.view(at: now), traffic: cost.trafficSignals(at: now), at: now)
    alerting.evaluate(samples: samples, config: config, at: now)
  }

  /// GET /api/v1/alerts: the active (pending and firing) alerts.
  public func renderAlerts() -> [UInt8] {
    let now = timeSource.now()
    let alerts = alerting.activeAlerts(at: now)
    let json = JSONValue.members([
      ("alerts", .array(alerts.map(Self.alertJSON))),
      ("generated_at", .string(RFC3339.format(now))),
    ])
    return Array(json.prettyEncoded.utf8)
  }

  static func alertJSON(_ a: ActiveAlert) -> JSONValue {
    func object(_ d: [String: String]) -> JSONValue {
      .members(d.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }
    return .members([
      ("alertname", .string(a.alertname)),
      ("state", .string(a.state.rawValue)),
      ("labels", object(a.labels)),
      ("annotations", object(a.annotations)),
      ("value", .number(a.value.isFinite ? a.value : nil)),
      ("value_text", .string(a.formattedValue)),
      ("since", .string(RFC3339.format(a.since))),
      ("fired_at", .string(a.firedAt.map(RFC3339.format))),
      ("last_notified", .string(a.lastNotified.map(RFC3339.format))),
      ("silenced", .bool(a.silenced)),
      ("fingerprint", .string(a.fingerprint)),
    ])
  }
}
