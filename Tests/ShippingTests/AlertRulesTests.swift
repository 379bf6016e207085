import AtalayaCore
import AtalayaTestSupport
import Exposition
import Foundation
import Testing

/// alerts/atalaya.rules.yml against the real promtool: the rules are valid, their unit tests
/// pass, and every alert is tested both firing and staying quiet.
@Suite struct AlertRulesTests {
  /// Alert names in the rules file, in order.
  static func alertNames() throws -> [String] {
    let doc = try YAML.compose(ShippingFiles.text(ShippingFiles.rules))
    let groups = try #require(doc?["groups"]?.sequence)
    return groups.flatMap { $0["rules"]?.array() ?? [] }.compactMap { $0["alert"]?.string }
  }

  @Test func promtoolCheckRulesIsClean() async throws {
    let names = try Self.alertNames()
    let result = try await Subprocess.run("promtool", ["check", "rules", ShippingFiles.rules])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("SUCCESS: \(names.count) rules found"), "\(result.output)")
    #expect(!result.output.contains("WARNING"), "\(result.output)")
  }

  @Test func promtoolUnitTestsPass() async throws {
    let result = try await Subprocess.run("promtool", ["test", "rules", ShippingFiles.ruleTests])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("SUCCESS"), "\(result.output)")
  }

  @Test func everyAlertIsTestedFiringAndQuiet() throws {
    let names = try Self.alertNames()
    #expect(names.count >= 15)
    #expect(Set(names).count == names.count, "duplicate alert names")
    for required in [
      "AtalayaProviderDown", "AtalayaHighErrorRate", "AtalayaSlowP95", "AtalayaHighCostPerHour",
      "AtalayaBudgetLow", "AtalayaBudgetProjectedOverrun", "AtalayaTargetDown",
      "AtalayaTargetMissing", "AtalayaConfigReloadFailed", "AtalayaNotificationsFailing",
      "AtalayaNotificationsDropped",
    ] {
      #expect(names.contains(required), "no rule \(required)")
    }

    let doc = try YAML.compose(ShippingFiles.text(ShippingFiles.ruleTests))
    let tests = try #require(doc?["tests"]?.sequence)
    var firing = Set<String>()
    var quiet = Set<String>()
    for group in tests {
      for test in group["alert_rule_test"]?.array() ?? [] {
        guard let name = test["alertname"]?.string else { continue }
        let expected = test["exp_alerts"]?.array() ?? []
        if expected.isEmpty { quiet.insert(name) } else { firing.insert(name) }
      }
    }
    for name in names {
      #expect(firing.contains(name), "\(name) is never tested firing")
      #expect(quiet.contains(name), "\(name) is never tested staying quiet")
    }
    #expect(firing.union(quiet).subtracting(names).isEmpty, "tests of unknown alerts")
  }

  @Test func everyRuleHasSeverityAndSummary() throws {
    let doc = try YAML.compose(ShippingFiles.text(ShippingFiles.rules))
    let groups = try #require(doc?["groups"]?.sequence)
    for rule in groups.flatMap({ $0["rules"]?.array() ?? [] }) {
      let name = rule["alert"]?.string ?? "?"
      let severity = rule["labels"]?["severity"]?.string
      #expect(
        severity == "critical" || severity == "warning", "\(name): severity \(severity ?? "none")")
      let annotations = rule["annotations"]
      #expect(annotations?["summary"] != nil && annotations?["description"] != nil, "\(name)")
    }
  }

  /// The unit tests catch a changed rule: with AtalayaProviderDown's `for` shortened,
  /// promtool reports the alert firing where the tests expect it quiet.
  @Test func unitTestsCatchAChangedRule() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let rules = try ShippingFiles.text(ShippingFiles.rules)
    let changed = rules.replacingOccurrences(
      of: "expr: atalaya_provider_status{status=\"down\"} == 1\n        for: 2m",
      with: "expr: atalaya_provider_status{status=\"down\"} == 1\n        for: 1m")
    #expect(changed != rules)
    _ = try dir.write("atalaya.rules.yml", changed)
    let tests = try dir.write("atalaya.rules.test.yml", ShippingFiles.text(ShippingFiles.ruleTests))
    let result = try await Subprocess.run("promtool", ["test", "rules", tests])
    #expect(result.status != 0)
    #expect(result.output.contains("AtalayaProviderDown"), "\(result.output)")
  }
}

/// Every metric the rules and the dashboard use is one the agent exports, so a renamed
/// metric breaks a test.
@Suite struct ShippedMetricNamesTests {
  static var known: Set<String> {
    var names = Set<String>()
    for family in Catalogue.all {
      names.insert(family.name)
      if family.type == .histogram {
        for suffix in ["_bucket", "_sum", "_count"] { names.insert(family.name + suffix) }
      }
    }
    return names
  }

  @Test func rulesUseKnownMetrics() throws {
    let used = metricNames(in: try ShippingFiles.text(ShippingFiles.rules))
    #expect(used.count >= 14)
    #expect(
      used.subtracting(Self.known).isEmpty, "unknown: \(used.subtracting(Self.known).sorted())")
  }

  @Test func dashboardUsesKnownMetrics() throws {
    let exprs = try DashboardFile.load().panels.flatMap(\.exprs)
    let used = exprs.reduce(into: Set<String>()) { $0.formUnion(metricNames(in: $1)) }
    #expect(used.count >= 20)
    #expect(
      used.subtracting(Self.known).isEmpty, "unknown: \(used.subtracting(Self.known).sorted())")
  }
}
