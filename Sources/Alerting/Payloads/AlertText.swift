import AtalayaCore

/// The human-readable pieces of an alert shared by the Slack and console payloads.
public enum AlertText {
  /// Alertmanager's default title: `[FIRING:2] LLMHighErrorRate` (the number of
  /// firing alerts) or `[RESOLVED] LLMHighErrorRate`.
  public static func title(_ notification: AlertNotification) -> String {
    let name = groupName(notification)
    switch notification.status {
    case .firing:
      let firing = notification.alerts.filter { $0.status == .firing }.count
      return "[FIRING:\(firing)] \(name)"
    case .resolved:
      return "[RESOLVED] \(name)"
    }
  }

  /// The group label values joined by spaces (the alertname for the engine's groups).
  public static func groupName(_ notification: AlertNotification) -> String {
    if notification.groupLabels.isEmpty {
      return notification.alerts.first?.labels["alertname"] ?? "alert"
    }
    return notification.groupLabels.sorted { $0.key < $1.key }.map(\.value).joined(separator: " ")
  }

  /// What the alert is about: `openai / gpt-4o-mini`, `openai`, `budget monthly`, or
  /// its other labels as `k=v` pairs.
  public static func subject(_ alert: Alert) -> String {
    let labels = alert.labels
    if let provider = labels["provider"] {
      return labels["model"].map { "\(provider) / \($0)" } ?? provider
    }
    if let budget = labels["budget"] { return "budget \(budget)" }
    let rest = labels.filter { !["alertname", "severity"].contains($0.key) }
    return rest.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
  }

  /// The value as shown to people: the `value` annotation when the engine set one
  /// (already formatted for the signal), else the number itself.
  public static func value(_ alert: Alert) -> String {
    if let text = alert.annotations["value"], !text.isEmpty { return text }
    return NumberText.compact(alert.value)
  }

  /// `HH:MM:SS` (UTC) of `t`.
  public static func clock(_ t: Timestamp) -> String {
    let text = RFC3339.format(t)
    let chars = Array(text)
    return String(chars[11..<19])
  }

  /// `YYYY-MM-DD HH:MM:SS UTC` of `t`.
  public static func dateTime(_ t: Timestamp) -> String {
    let chars = Array(RFC3339.format(t))
    return String(chars[0..<10]) + " " + String(chars[11..<19]) + " UTC"
  }
}
