import AtalayaCore

/// A Slack incoming-webhook message: the title as plain `text` (what
/// notifications show) plus one attachment coloured by status and severity with
/// one line per alert (and a plain-text `fallback` of everything).
public enum SlackPayload {
  /// Attachment colours.
  public enum Colour {
    public static let critical = "#D00000"
    public static let warning = "#F2A100"
    /// Firing with another severity (e.g. `info`).
    public static let other = "#439FE0"
    public static let resolved = "#2EB67D"
  }

  /// The message for `notification`.
  public static func body(_ notification: AlertNotification) -> JSONValue {
    let title = AlertText.title(notification)
    let lines = notification.alerts.map { line($0, markdown: true) }
    let plain = notification.alerts.map { line($0, markdown: false) }
    return .members([
      ("text", .string(title)),
      (
        "attachments",
        .array([
          .members([
            ("color", .string(colour(notification))),
            ("text", .string(lines.joined(separator: "\n"))),
            ("fallback", .string(([title] + plain).joined(separator: "\n"))),
            ("mrkdwn_in", .array(["text"])),
          ])
        ])
      ),
    ])
  }

  /// Red for critical, orange for warning, blue for other firing severities,
  /// green when everything resolved. The most severe firing alert decides.
  public static func colour(_ notification: AlertNotification) -> String {
    let firing = notification.alerts.filter { $0.status == .firing }
    guard !firing.isEmpty else { return Colour.resolved }
    let severities = Set(firing.compactMap { $0.labels["severity"]?.lowercased() })
    if severities.contains("critical") { return Colour.critical }
    if severities.contains("warning") { return Colour.warning }
    return Colour.other
  }

  /// `• *openai / gpt-4o* — 23.0% since 2026-11-21 20:15:04 UTC — summary`; resolved
  /// alerts say when they resolved.
  static func line(_ alert: Alert, markdown: Bool) -> String {
    let subject = AlertText.subject(alert)
    var text = markdown ? "• *\(subject)*" : "- \(subject)"
    text += " — \(AlertText.value(alert)) since \(AlertText.dateTime(alert.startsAt))"
    if alert.status == .resolved, let endsAt = alert.endsAt {
      text += ", resolved \(AlertText.dateTime(endsAt))"
    }
    if let summary = alert.annotations["summary"], !summary.isEmpty { text += " — \(summary)" }
    return text
  }
}
