import AtalayaCore

/// The variables a ``GroupTemplate`` sees for one notification: the group's and each
/// alert's. Documented in the README (Receivers and delivery, "Templates").
public enum GroupVariables {
  /// Group variables: `status`, `alertname`, `receiver`, `title`, `alert_count`,
  /// `firing_count`, `resolved_count`, `summary`, `alerts_text`, `external_url`,
  /// `group_key`, and every common label and common annotation by name.
  public static func group(_ notification: AlertNotification, externalURL: String = "")
    -> [String: String]
  {
    let alerts = notification.alerts
    var variables: [String: String] = [:]
    for (key, value) in LabelText.common(alerts.map(\.annotations)) { variables[key] = value }
    for (key, value) in LabelText.common(alerts.map(\.labels)) { variables[key] = value }
    let firing = alerts.filter { $0.status == .firing }.count
    variables["status"] = notification.status.rawValue
    variables["alertname"] = AlertText.groupName(notification)
    variables["receiver"] = notification.receiver
    variables["title"] = title(notification)
    variables["alert_count"] = "\(alerts.count)"
    variables["firing_count"] = "\(firing)"
    variables["resolved_count"] = "\(alerts.count - firing)"
    variables["summary"] =
      variables["summary"] ?? alerts.first?.annotations["summary"] ?? title(notification)
    variables["alerts_text"] = ConsolePayload.lines(notification).joined(separator: "\n")
    variables["external_url"] = externalURL
    variables["group_key"] = WebhookPayload.groupKey(notification)
    return variables
  }

  /// One alert's variables: its labels and annotations by name, `status`
  /// (`firing`/`resolved`), `value`, `starts_at`, `ends_at` (RFC 3339, empty while
  /// firing), `fingerprint`, `generator_url`, `subject` (`openai / gpt-4o`) and `line`
  /// (the console line).
  public static func alert(_ alert: Alert, notification: AlertNotification) -> [String: String] {
    var variables = alert.annotations
    for (key, value) in alert.labels { variables[key] = value }
    variables["status"] = alert.status.rawValue
    variables["value"] = AlertText.value(alert)
    variables["starts_at"] = RFC3339.format(alert.startsAt)
    variables["ends_at"] =
      alert.status == .resolved ? RFC3339.format(alert.endsAt ?? notification.createdAt) : ""
    variables["fingerprint"] = alert.fingerprint
    variables["generator_url"] = alert.generatorURL
    variables["subject"] = AlertText.subject(alert)
    let single = AlertNotification(
      id: notification.id, receiver: notification.receiver,
      groupLabels: notification.groupLabels, alerts: [alert], createdAt: notification.createdAt)
    variables["line"] = ConsolePayload.lines(single).first ?? ""
    return variables
  }

  /// Every alert's variables, in the notification's order.
  public static func alerts(_ notification: AlertNotification) -> [[String: String]] {
    notification.alerts.map { alert($0, notification: notification) }
  }

  /// Alertmanager's default email subject: `[FIRING:2] LLMProviderDown (provider=openai)`,
  /// the common labels other than `alertname` and `severity` in parentheses.
  public static func title(_ notification: AlertNotification) -> String {
    let common = LabelText.common(notification.alerts.map(\.labels))
      .filter {
        $0.key != "alertname" && $0.key != "severity" && notification.groupLabels[$0.key] == nil
      }
    let base = AlertText.title(notification)
    guard !common.isEmpty else { return base }
    let pairs = common.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    return base + " (" + pairs.joined(separator: " ") + ")"
  }

  /// `template` rendered for `notification`.
  public static func render(
    _ template: GroupTemplate, _ notification: AlertNotification, externalURL: String = "",
    escape: (String) -> String = { $0 }
  ) -> String {
    template.render(
      variables: group(notification, externalURL: externalURL), alerts: alerts(notification),
      escape: escape)
  }
}
