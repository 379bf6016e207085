import AtalayaCore

/// The demo's console receiver: one readable line per alert, e.g.
/// `[FIRING] LLMHighErrorRate provider=flaky model=m value=23.0% since 20:15:04 — summary`.
public enum ConsolePayload {
  /// One line per alert of `notification`, without trailing newlines.
  public static func lines(_ notification: AlertNotification) -> [String] {
    notification.alerts.map { alert in
      let name = alert.labels["alertname"] ?? AlertText.groupName(notification)
      var text = "[\(alert.status.rawValue.uppercased())] \(name)"
      for key in ["provider", "model", "budget"] {
        if let value = alert.labels[key] { text += " \(key)=\(value)" }
      }
      text += " value=\(AlertText.value(alert)) since \(AlertText.clock(alert.startsAt))"
      if let summary = alert.annotations["summary"], !summary.isEmpty { text += " — \(summary)" }
      return text
    }
  }
}
