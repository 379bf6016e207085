import AtalayaCore

/// The body Prometheus POSTs to Alertmanager's `/api/v2/alerts`: an array of
/// postable alerts. `endsAt` comes from the alert (the engine sets it to
/// now + 4 × resend interval while firing and to the resolve time on resolve).
public enum AlertmanagerPayload {
  /// The path appended to the receiver's base URL.
  public static let path = "/api/v2/alerts"

  /// The array of postable alerts of `notification`.
  public static func body(_ notification: AlertNotification) -> JSONValue {
    .array(
      notification.alerts.map { alert in
        var members: [(String, JSONValue)] = [
          ("labels", LabelText.json(alert.labels)),
          ("annotations", LabelText.json(alert.annotations)),
          ("startsAt", .string(RFC3339.format(alert.startsAt))),
        ]
        if let endsAt = alert.endsAt ?? (alert.status == .resolved ? notification.createdAt : nil) {
          members.append(("endsAt", .string(RFC3339.format(endsAt))))
        }
        members.append(("generatorURL", .string(alert.generatorURL)))
        return .members(members)
      })
  }

  /// `base` without trailing slashes, plus ``path``.
  public static func url(base: String) -> String {
    var base = base
    while base.hasSuffix("/") { base.removeLast() }
    return base + path
  }
}
