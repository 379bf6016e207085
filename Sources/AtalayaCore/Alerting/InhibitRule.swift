/// An inhibition rule, as Alertmanager's: while an alert matching `sourceMatchers` fires,
/// alerts matching `targetMatchers` whose `equal` labels have the same values (a missing
/// label counts as empty) are muted. An alert never inhibits itself, and when an alert
/// matches both sides, alerts that also match both sides cannot inhibit it.
public struct InhibitRule: Sendable, Equatable {
  public var sourceMatchers: [LabelMatcher]
  public var targetMatchers: [LabelMatcher]
  public var equal: [String]

  public init(sourceMatchers: [LabelMatcher], targetMatchers: [LabelMatcher], equal: [String]) {
    self.sourceMatchers = sourceMatchers
    self.targetMatchers = targetMatchers
    self.equal = equal
  }

  /// A firing `LLMProviderDown` mutes the per-model error-rate and latency alerts of its
  /// provider: one page for one outage.
  public static let providerDown = InhibitRule(
    sourceMatchers: [matcher("alertname", .equal, "LLMProviderDown")],
    targetMatchers: [matcher("alertname", .matches, "LLMHighErrorRate|LLMHighLatency")],
    equal: ["provider"])

  /// The rules used when the config has no `alerting.inhibit_rules` key
  /// (`inhibit_rules: []` turns inhibition off).
  public static let defaults: [InhibitRule] = [providerDown]

  private static func matcher(_ name: String, _ op: LabelMatcher.Operator, _ value: String)
    -> LabelMatcher
  {
    // Literal, valid expressions: this cannot throw.
    (try? LabelMatcher(name: name, op: op, value: value))!
  }

  func isSource(_ labels: [String: String]) -> Bool {
    sourceMatchers.allSatisfy { $0.matches(labels) }
  }

  func isTarget(_ labels: [String: String]) -> Bool {
    targetMatchers.allSatisfy { $0.matches(labels) }
  }
}

/// One alert as inhibition sees it.
public struct InhibitionCandidate: Sendable, Equatable {
  public var fingerprint: String
  public var labels: [String: String]
  public var firing: Bool

  public init(fingerprint: String, labels: [String: String], firing: Bool) {
    self.fingerprint = fingerprint
    self.labels = labels
    self.firing = firing
  }
}

extension Array where Element == InhibitRule {
  /// For every inhibited alert, the fingerprints of the firing alerts that inhibit it
  /// (sorted); alerts that nothing inhibits are absent.
  public func inhibitions(_ alerts: [InhibitionCandidate]) -> [String: [String]] {
    var result: [String: Set<String>] = [:]
    for rule in self {
      let sources = alerts.filter { $0.firing && rule.isSource($0.labels) }
      guard !sources.isEmpty else { continue }
      for target in alerts where rule.isTarget(target.labels) {
        let twoSided = rule.isSource(target.labels)
        for source in sources where source.fingerprint != target.fingerprint {
          if twoSided && rule.isTarget(source.labels) { continue }
          if rule.equal.allSatisfy({ (target.labels[$0] ?? "") == (source.labels[$0] ?? "") }) {
            result[target.fingerprint, default: []].insert(source.fingerprint)
          }
        }
      }
    }
    return result.mapValues { $0.sorted() }
  }
}
