extension ConfigDecoder {
  // MARK: Rules

  /// `receivers` is nil when the receivers had errors (rule references are then not checked).
  func alertRules(_ node: Node, path: String, receivers: [String]?) -> [AlertRule] {
    guard let items = list(node, path: path, what: "rules") else { return [] }
    var result: [AlertRule] = []
    var firstByName: [String: Node] = [:]
    for (index, item) in items.enumerated() {
      let rulePath = Self.element(path, index)
      guard let (rule, nameNode) = alertRule(item, path: rulePath, receivers: receivers) else {
        continue
      }
      if let nameNode {
        if let first = firstByName[rule.name] {
          fail(
            Self.child(rulePath, "alert"), at: nameNode,
            "duplicate rule name `\(rule.name)` (first used at line \(first.mark?.line ?? 0))")
          continue
        }
        firstByName[rule.name] = nameNode
      }
      result.append(rule)
    }
    return result
  }

  func alertRule(_ node: Node, path: String, receivers: [String]?) -> (AlertRule, Node?)? {
    guard let e = entries(node, path: path, known: Self.ruleKeys, what: "a rule") else {
      return nil
    }
    var ok = true
    var name = ""
    var nameNode: Node?
    if let n = e.value("alert"), let text = nonEmptyString(n, path: e.path("alert")) {
      if Self.isAlertName(text) {
        name = text
        nameNode = n
      } else {
        fail(
          e.path("alert"), at: n,
          "invalid alert name\(Self.shown(text, of: n)); use letters, digits, `_`, `-`, `.` "
            + "and `:` (e.g. LLMHighErrorRate)")
        ok = false
      }
    } else {
      if !e.has("alert") { requireKey("alert", in: e, "a rule needs an `alert` name") }
      ok = false
    }

    var expression: AlertExpression?
    if let n = e.value("expr") {
      expression = self.expression(n, path: e.path("expr"))
    } else {
      requireKey("expr", in: e, "a rule needs an `expr`, e.g. `error_rate > 5%`")
    }
    guard let expression else { return nil }
    var rule = AlertRule(name: name, expr: expression)

    if let n = e.value("for"),
      let v = duration(n, path: e.path("for"), range: ConfigLimits.alertHold)
    {
      rule.forDuration = v
    }
    if let n = e.value("keep_firing_for"),
      let v = duration(n, path: e.path("keep_firing_for"), range: ConfigLimits.alertHold)
    {
      rule.keepFiringFor = v
    }
    if let n = e.value("severity"), let text = string(n, path: e.path("severity")) {
      if Self.severities.contains(text) {
        rule.severity = text
      } else {
        var message = "unknown severity\(Self.shown(text, of: n))"
        if let suggestion = KeySuggestion.closest(to: text, in: Self.severities) {
          message += " (did you mean `\(suggestion)`?)"
        }
        fail(
          e.path("severity"), at: n,
          message + "; expected one of: " + Self.severities.joined(separator: ", "))
      }
    }
    if let n = e.value("receivers") {
      rule.receivers = ruleReceivers(n, path: e.path("receivers"), known: receivers)
    }
    if let n = e.value("labels") {
      rule.labels = labelMap(n, path: e.path("labels"), what: "labels", reserved: true)
    }
    if let n = e.value("annotations") {
      rule.annotations = labelMap(n, path: e.path("annotations"), what: "annotations")
      for (key, value) in rule.annotations {
        if let problem = AlertTemplate.problem(in: value) {
          let annotationPath = Self.child(e.path("annotations"), key)
          fail(annotationPath, at: Self.value(of: key, in: n), problem)
        }
      }
    }
    return ok ? (rule, nameNode) : nil
  }

  /// Names usable as `alertname`: Prometheus-style identifiers with `-`, `.` and `:`.
  static func isAlertName(_ name: String) -> Bool {
    name.count <= 128
      && name.unicodeScalars.allSatisfy { c in
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_"
          || c == "-" || c == "." || c == ":"
      }
  }

  /// Parses `expr`, pointing errors at the offending character where the text maps 1:1.
  func expression(_ node: Node, path: String) -> AlertExpression? {
    guard let text = nonEmptyString(node, path: path) else { return nil }
    switch AlertExpression.parse(text) {
    case .success(let expression):
      return expression
    case .failure(let error):
      let (line, column) = Self.position(ofOffset: error.offset, in: node, text: text)
      fail(path, line: line, column: column, error.message)
      return nil
    }
  }

  /// The line and column of character `offset` of a scalar's text. Falls back to the
  /// scalar's start when the text was interpolated or spans several lines.
  static func position(ofOffset offset: Int, in node: Node, text: String) -> (Int, Int) {
    guard case .scalar(let scalar) = node, let mark = scalar.mark else { return (0, 0) }
    guard scalar.string == text, !text.contains("\n") else { return (mark.line, mark.column) }
    switch scalar.style {
    case .plain, .any: return (mark.line, mark.column + offset)
    case .singleQuoted, .doubleQuoted: return (mark.line, mark.column + 1 + offset)
    case .literal, .folded: return (mark.line, mark.column)
    }
  }

  func ruleReceivers(_ node: Node, path: String, known: [String]?) -> [String] {
    guard let items = list(node, path: path, what: "receiver names") else { return [] }
    var result: [String] = []
    for (index, item) in items.enumerated() {
      let itemPath = Self.element(path, index)
      guard let name = nonEmptyString(item, path: itemPath) else { continue }
      if let known, !known.contains(name) {
        var message = "unknown receiver\(Self.shown(name, of: item))"
        if known.isEmpty {
          message += "; no receivers are configured under `alerting.receivers`"
        } else {
          if let suggestion = KeySuggestion.closest(to: name, in: known) {
            message += " (did you mean `\(suggestion)`?)"
          }
          message += "; configured receivers: " + known.joined(separator: ", ")
        }
        fail(itemPath, at: item, message)
        continue
      }
      if !result.contains(name) { result.append(name) }
    }
    return result
  }

  /// A mapping of label names to non-empty values (`labels`, `annotations`, `matchers`).
  func labelMap(_ node: Node, path: String, what: String, reserved: Bool = false)
    -> [String: String]
  {
    guard case .mapping(let mapping) = node else {
      fail(
        path, at: node, "expected \(what) (a mapping of name: value), got \(Self.kindName(node))")
      return [:]
    }
    var result: [String: String] = [:]
    for (key, value) in mapping {
      guard case .scalar(let keyScalar) = key else {
        fail(path, at: key, "names must be plain strings, got \(Self.kindName(key))")
        continue
      }
      let name = keyScalar.string
      let itemPath = Self.child(path, name)
      guard Self.isLabelName(name) else {
        fail(
          itemPath, at: key,
          "invalid label name\(Self.shown(name)); use letters, digits and `_`, not starting "
            + "with a digit or `__`")
        continue
      }
      if reserved, name == "alertname" || name == "severity" {
        fail(
          itemPath, at: key,
          "`\(name)` is set by the rule itself; use the rule's `\(name == "alertname" ? "alert" : "severity")` key"
        )
        continue
      }
      guard let text = nonEmptyString(value, path: itemPath) else { continue }
      result[name] = text
    }
    return result
  }

  static func isLabelName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, !name.hasPrefix("__") else { return false }
    func letter(_ c: Unicode.Scalar) -> Bool {
      (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }
    return letter(first)
      && name.unicodeScalars.allSatisfy { letter($0) || ($0 >= "0" && $0 <= "9") }
  }

  /// The value node of `key` in a mapping node, for error positions.
  static func value(of key: String, in node: Node) -> Node? {
    guard case .mapping(let mapping) = node else { return nil }
    for (k, v) in mapping where k.scalar?.string == key { return v }
    return nil
  }
}
