import AtalayaCore

/// The Alertmanager webhook payload, version 4, so every existing Alertmanager
/// webhook receiver works unchanged.
public enum WebhookPayload {
  /// `endsAt` of an alert that is still firing (Go's zero time).
  public static let zeroTime = "0001-01-01T00:00:00Z"

  /// The payload of `notification` for the receiver named in it.
  /// - Parameter externalURL: where people can see the alerts (the agent's URL).
  public static func body(_ notification: AlertNotification, externalURL: String = "") -> JSONValue
  {
    let alerts = notification.alerts
    return .members([
      ("version", "4"),
      ("groupKey", .string(groupKey(notification))),
      ("truncatedAlerts", 0),
      ("status", .string(notification.status.rawValue)),
      ("receiver", .string(notification.receiver)),
      ("groupLabels", LabelText.json(notification.groupLabels)),
      ("commonLabels", LabelText.json(LabelText.common(alerts.map(\.labels)))),
      ("commonAnnotations", LabelText.json(LabelText.common(alerts.map(\.annotations)))),
      ("externalURL", .string(externalURL)),
      ("alerts", .array(alerts.map { alert(of: $0, notification: notification) })),
    ])
  }

  /// Alertmanager's group key for a root route: `{}:{alertname="X"}`.
  public static func groupKey(_ notification: AlertNotification) -> String {
    "{}:" + LabelText.braced(notification.groupLabels)
  }

  static func alert(of alert: Alert, notification: AlertNotification) -> JSONValue {
    let endsAt: String
    switch alert.status {
    case .firing: endsAt = zeroTime
    case .resolved: endsAt = RFC3339.format(alert.endsAt ?? notification.createdAt)
    }
    return .members([
      ("status", .string(alert.status.rawValue)),
      ("labels", LabelText.json(alert.labels)),
      ("annotations", LabelText.json(alert.annotations)),
      ("startsAt", .string(RFC3339.format(alert.startsAt))),
      ("endsAt", .string(endsAt)),
      ("generatorURL", .string(alert.generatorURL)),
      ("fingerprint", .string(alert.fingerprint)),
    ])
  }
}
