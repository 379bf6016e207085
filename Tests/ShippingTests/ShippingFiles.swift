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
