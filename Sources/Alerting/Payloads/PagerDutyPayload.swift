import AtalayaCore

/// PagerDuty Events API v2: one event per alert of a notification, `trigger` while
/// firing and `resolve` once resolved, each keyed by the alert's fingerprint
/// (`dedup_key`), so a resolve closes the incident its trigger opened and re-sending
/// an event after a failed attempt changes nothing.
public enum PagerDutyPayload {
  /// PagerDuty's limit on `payload.summary`.
  public static let maxSummary = 1024

  /// The events of `notification`, in its alert order.
  public static func events(
    _ notification: AlertNotification, routingKey: String, externalURL: String = ""
  ) -> [JSONValue] {
    notification.alerts.map { event($0, routingKey: routingKey, externalURL: externalURL) }
  }

  /// The event of one alert.
  public static func event(_ alert: Alert, routingKey: String, externalURL: String = "")
    -> JSONValue
  {
    var members: [(String, JSONValue)] = [
      ("routing_key", .string(routingKey)),
      ("event_action", .string(alert.status == .firing ? "trigger" : "resolve")),
      ("dedup_key", .string(alert.fingerprint)),
    ]
    if alert.status == .firing {
      members.append(("payload", payload(alert)))
    }
    members.append(("client", "Atalaya"))
    if !externalURL.isEmpty { members.append(("client_url", .string(externalURL))) }
    return .members(members)
  }

  /// `payload`: summary, severity, source, component, group, class, timestamp and
  /// the labels and annotations as custom details.
  static func payload(_ alert: Alert) -> JSONValue {
    let labels = alert.labels
    let alertname = labels["alertname"] ?? "alert"
    var members: [(String, JSONValue)] = [
      ("summary", .string(summary(alert))),
      ("severity", .string(severity(labels["severity"] ?? ""))),
      ("source", .string(source(labels))),
      ("timestamp", .string(RFC3339.format(alert.startsAt))),
    ]
    if let provider = labels["provider"] { members.append(("component", .string(provider))) }
    members.append(("group", .string(labels["model"] ?? alertname)))
    members.append(("class", .string(alertname)))
    members.append(
      (
        "custom_details",
        .members([
          ("labels", LabelText.json(labels)), ("annotations", LabelText.json(alert.annotations)),
          ("value", .string(AlertText.value(alert))),
        ])
      ))
    return .members(members)
  }

  /// The `summary` annotation (or a generated one), at most 1024 characters.
  static func summary(_ alert: Alert) -> String {
    var text = alert.annotations["summary"] ?? ""
    if text.isEmpty {
      text = "\(alert.labels["alertname"] ?? "alert"): \(AlertText.subject(alert))"
    }
    guard text.count > maxSummary else { return text }
    return String(text.prefix(maxSummary - 1)) + "…"
  }

  /// PagerDuty's severities: critical, error, warning, info (anything else).
  public static func severity(_ severity: String) -> String {
    ["critical", "error", "warning"].contains(severity) ? severity : "info"
  }

  /// `provider/model`, `provider`, `budget NAME`, or the agent.
  static func source(_ labels: [String: String]) -> String {
    if let provider = labels["provider"] {
      return labels["model"].map { "\(provider)/\($0)" } ?? provider
    }
    if let budget = labels["budget"] { return "budget \(budget)" }
    if let route = labels["route"] { return "route \(route)" }
    if let slo = labels["slo"] { return "slo \(slo)" }
    return "atalaya"
  }
}
