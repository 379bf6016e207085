import AtalayaCore

/// GET /api/v1/alerts: the active (pending and firing) alerts as JSON.
struct AlertsReport {
  var alerts: [ActiveAlert]
  var at: Timestamp

  func jsonBytes() -> [UInt8] {
    let json = JSONValue.members([
      ("alerts", .array(alerts.map(Self.alertJSON))),
      ("generated_at", .string(RFC3339.format(at))),
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
      ("silenced_by", .array(a.silencedBy.map { .string($0) })),
      ("inhibited", .bool(a.inhibited)),
      ("inhibited_by", .array(a.inhibitedBy.map { .string($0) })),
      ("fingerprint", .string(a.fingerprint)),
    ])
  }
}
