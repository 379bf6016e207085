import Foundation

/// Paths of the shipped artefacts (packaging/, alerts/, dashboards/) in this checkout.
enum ShippingFiles {
  /// The repository root, found from this source file's path (Tests/ShippingTests/…).
  static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  static var unit: String { root + "/packaging/systemd/atalaya.service" }
  static var exampleConfig: String { root + "/packaging/atalaya.yml" }
  static var exampleEnvironment: String { root + "/packaging/atalaya.env" }
  static var manPage: String { root + "/packaging/atalaya.1" }
  static var rules: String { root + "/alerts/atalaya.rules.yml" }
  static var ruleTests: String { root + "/alerts/atalaya.rules.test.yml" }
  static var dashboard: String { root + "/dashboards/atalaya-overview.json" }

  static func text(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
  }
}

/// Metric families named in the rules and the dashboard that other features add (alerting,
/// issue 3; cost and budgets, issue 4). Until the agent declares them, their rules are
/// tested by promtool only and their panels must be valid PromQL, not yet return data.
enum UpcomingMetrics {
  static let names: Set<String> = [
    "atalaya_alerts", "atalaya_notifications_total", "atalaya_notification_queue_length",
    "atalaya_rule_evaluation_failures_total",
    "atalaya_cost_usd_total", "atalaya_cost_per_hour_usd", "atalaya_account_usage_usd",
    "atalaya_budget_limit_usd", "atalaya_budget_spent_usd", "atalaya_budget_remaining_usd",
    "atalaya_budget_used_ratio", "atalaya_budget_projected_spend_usd",
    "atalaya_budget_exhaustion_seconds",
  ]
}

/// Metric names (`atalaya_…`, `process_…`, `up`) referenced by a PromQL expression.
func metricNames(in expr: String) -> Set<String> {
  var names = Set<String>()
  let pattern = try! NSRegularExpression(pattern: #"\b(atalaya_[a-z0-9_]+|process_[a-z0-9_]+)\b"#)
  let range = NSRange(expr.startIndex..., in: expr)
  for match in pattern.matches(in: expr, range: range) {
    names.insert(String(expr[Range(match.range, in: expr)!]))
  }
  return names
}
