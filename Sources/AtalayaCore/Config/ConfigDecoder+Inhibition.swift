extension ConfigDecoder {
  static let inhibitRuleKeys = ["source_matchers", "target_matchers", "equal"]

  /// `inhibit_rules:`: Alertmanager's inhibition rules (matcher lists, `equal` labels).
  func inhibitRules(_ node: Node, path: String) -> [InhibitRule] {
    guard let items = list(node, path: path, what: "inhibit_rules") else { return [] }
    var result: [InhibitRule] = []
    for (index, item) in items.enumerated() {
      if let rule = inhibitRule(item, path: Self.element(path, index)) { result.append(rule) }
    }
    return result
  }

  func inhibitRule(_ node: Node, path: String) -> InhibitRule? {
    guard
      let e = entries(node, path: path, known: Self.inhibitRuleKeys, what: "an inhibition rule")
    else { return nil }
    let before = errors.count
    var sides: [[LabelMatcher]] = []
    for key in ["source_matchers", "target_matchers"] {
      guard let n = e.value(key) else {
        requireKey(
          key, in: e,
          "an inhibition rule needs `\(key)`, e.g. ['alertname=\"LLMProviderDown\"']")
        sides.append([])
        continue
      }
      let matchers = matcherList(n, path: e.path(key))
      if matchers.isEmpty, errors.count == before {
        fail(e.path(key), at: n, "needs at least one matcher (an empty list matches every alert)")
      }
      sides.append(matchers)
    }
    var equal: [String] = []
    if let n = e.value("equal"), let items = list(n, path: e.path("equal"), what: "labels") {
      for (index, item) in items.enumerated() {
        let itemPath = Self.element(e.path("equal"), index)
        guard let name = string(item, path: itemPath) else { continue }
        guard Self.isLabelName(name) else {
          fail(itemPath, at: item, "invalid label name\(Self.shown(name))")
          continue
        }
        equal.append(name)
      }
    }
    guard errors.count == before else { return nil }
    return InhibitRule(sourceMatchers: sides[0], targetMatchers: sides[1], equal: equal)
  }
}
