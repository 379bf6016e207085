extension ConfigLimits {
  public static let evaluationInterval: ClosedRange<Duration> =
    .milliseconds(100)...(.seconds(3600))
  public static let repeatInterval: ClosedRange<Duration> = .seconds(1)...(.seconds(30 * 86400))
  public static let resendInterval: ClosedRange<Duration> = .seconds(1)...(.seconds(3600))
  public static let alertHold: ClosedRange<Duration> = .zero...(.seconds(7 * 86400))
  public static let notificationTimeout: ClosedRange<Duration> =
    .milliseconds(100)...(.seconds(600))
  public static let notificationMaxAge: ClosedRange<Duration> = .seconds(1)...(.seconds(7 * 86400))
}

extension ConfigDecoder {
  static let alertingKeys = [
    "evaluation_interval", "repeat_interval", "resend_interval", "send_resolved", "rules",
    "receivers", "silences", "inhibit_rules", "maintenance",
  ]
  static let ruleKeys = [
    "alert", "expr", "for", "keep_firing_for", "severity", "receivers", "labels", "annotations",
  ]
  static let receiverKeys = [
    "name", "type", "url", "headers", "bearer_token", "timeout", "max_age", "severity_at_least",
    "body_template", "content_type", "from", "to", "username", "password", "require_tls",
    "subject", "text", "html", "routing_key",
  ]
  static let silenceKeys = ["matchers", "starts", "ends", "comment"]
  /// The severities a rule may have.
  static let severities = ["critical", "error", "warning", "info"]

  /// The `alerting:` section. Rules are checked against the receivers wherever they are.
  func alerting(_ node: Node) -> AlertingConfig {
    var result = AlertingConfig()
    guard
      let e = entries(node, path: "alerting", known: Self.alertingKeys, what: "alerting settings")
    else { return result }
    if let n = e.value("evaluation_interval"),
      let v = duration(
        n, path: e.path("evaluation_interval"), range: ConfigLimits.evaluationInterval)
    {
      result.evaluationInterval = v
    }
    if let n = e.value("repeat_interval"),
      let v = duration(n, path: e.path("repeat_interval"), range: ConfigLimits.repeatInterval)
    {
      result.repeatInterval = v
    }
    if let n = e.value("resend_interval"),
      let v = duration(n, path: e.path("resend_interval"), range: ConfigLimits.resendInterval)
    {
      result.resendInterval = v
    }
    if let n = e.value("send_resolved"), let v = bool(n, path: e.path("send_resolved")) {
      result.sendResolved = v
    }
    // Receivers first: rules name them.
    var receiversKnown = true
    if let n = e.value("receivers") {
      let before = errors.count
      result.receivers = alertReceivers(n, path: e.path("receivers"))
      receiversKnown = errors.count == before
    } else {
      result.receivers = []
    }
    if let n = e.value("rules") {
      let names = receiversKnown ? result.receivers.map(\.name) : nil
      result.rules = alertRules(n, path: e.path("rules"), receivers: names)
    }
    if let n = e.value("silences") {
      result.silences = silences(n, path: e.path("silences"))
    }
    if let n = e.value("inhibit_rules") {
      result.inhibitRules = inhibitRules(n, path: e.path("inhibit_rules"))
    }
    if let n = e.value("maintenance") {
      result.maintenance = maintenanceWindows(n, path: e.path("maintenance"))
    }
    return result
  }
}
