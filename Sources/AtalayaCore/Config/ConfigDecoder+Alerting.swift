import Yams

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
    "receivers", "silences",
  ]
  static let ruleKeys = [
    "alert", "expr", "for", "keep_firing_for", "severity", "receivers", "labels", "annotations",
  ]
  static let receiverKeys = [
    "name", "type", "url", "headers", "bearer_token", "timeout", "max_age",
  ]
  static let silenceKeys = ["matchers", "starts", "ends", "comment"]
  /// The severities a rule may have.
  static let severities = ["critical", "warning", "info"]

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
    return result
  }

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

  // MARK: Receivers

  func alertReceivers(_ node: Node, path: String) -> [ReceiverConfig] {
    guard let items = list(node, path: path, what: "receivers") else { return [] }
    var result: [ReceiverConfig] = []
    var firstByName: [String: Node] = [:]
    for (index, item) in items.enumerated() {
      let itemPath = Self.element(path, index)
      guard let (receiver, nameNode) = alertReceiver(item, path: itemPath) else { continue }
      if let first = firstByName[receiver.name] {
        fail(
          Self.child(itemPath, "name"), at: nameNode,
          "duplicate receiver name `\(receiver.name)` (first used at line \(first.mark?.line ?? 0))"
        )
        continue
      }
      firstByName[receiver.name] = nameNode
      result.append(receiver)
    }
    return result
  }

  func alertReceiver(_ node: Node, path: String) -> (ReceiverConfig, Node)? {
    guard let e = entries(node, path: path, known: Self.receiverKeys, what: "a receiver") else {
      return nil
    }
    var ok = true
    var name: String?
    if let n = e.value("name"), let text = nonEmptyString(n, path: e.path("name")) {
      if Self.isValidName(text) {
        name = text
      } else {
        fail(
          e.path("name"), at: n,
          "invalid name\(Self.shown(text, of: n)); use 1 to \(ConfigLimits.nameLength) "
            + "lowercase letters, digits, `_` and `-`")
      }
    } else if !e.has("name") {
      requireKey("name", in: e, "a receiver needs a `name`")
    }
    var kind: ReceiverConfig.Kind?
    if let n = e.value("type") {
      kind = choice(
        n, path: e.path("type"), what: "receiver type", cases: ReceiverConfig.Kind.allCases)
    } else {
      requireKey(
        "type", in: e,
        "a receiver needs a `type`: "
          + ReceiverConfig.Kind.allCases.map(\.rawValue).joined(separator: ", "))
    }
    var receiver = ReceiverConfig(name: name ?? "", kind: kind ?? .console)

    if let n = e.value("url") {
      if let text = string(n, path: e.path("url"), secret: true) {
        if kind == .console {
          fail(e.path("url"), at: n, "a console receiver prints to standard output; remove `url`")
          ok = false
        } else if let problem = Self.urlProblem(text) {
          fail(e.path("url"), at: n, problem)
          ok = false
        } else {
          receiver.url = Secret(text)
        }
      }
    } else if let kind, kind != .console {
      requireKey("url", in: e, "a `\(kind.rawValue)` receiver needs a `url`")
    }
    if let n = e.value("headers") {
      receiver.headers = headers(n, path: e.path("headers"))
    }
    if let n = e.value("bearer_token") {
      if let token = string(n, path: e.path("bearer_token"), secret: true) {
        if token.isEmpty
          || token.unicodeScalars.contains(where: {
            $0.properties.isWhitespace || $0.properties.generalCategory == .control
          })
        {
          fail(
            e.path("bearer_token"), at: n,
            "the token must not be empty or contain spaces or control characters")
        } else if receiver.headers.contains(where: { $0.name.lowercased() == "authorization" }) {
          fail(
            e.path("bearer_token"), at: e.keyNode("bearer_token"),
            "set either `bearer_token` or an Authorization header, not both")
        } else {
          receiver.bearerToken = Secret(token)
        }
      }
    }
    if let n = e.value("timeout"),
      let v = duration(n, path: e.path("timeout"), range: ConfigLimits.notificationTimeout)
    {
      receiver.timeout = v
    }
    if let n = e.value("max_age"),
      let v = duration(n, path: e.path("max_age"), range: ConfigLimits.notificationMaxAge)
    {
      receiver.maxAge = v
    }
    guard ok, name != nil, kind != nil, let nameNode = e.value("name") else { return nil }
    return (receiver, nameNode)
  }

  /// Why `text` is not a usable http(s) URL, or nil. Never quotes the URL (it may hold a token).
  static func urlProblem(_ text: String) -> String? {
    let lower = text.lowercased()
    guard let schemeEnd = lower.hasPrefix("https://") ? 8 : lower.hasPrefix("http://") ? 7 : nil
    else { return "must be an http:// or https:// URL" }
    if text.unicodeScalars.contains(where: {
      $0.properties.isWhitespace || $0.properties.generalCategory == .control
    }) {
      return "must not contain spaces or control characters"
    }
    let authority = text.dropFirst(schemeEnd).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    if authority.isEmpty || authority.hasPrefix(":") { return "has no valid host" }
    if authority.contains("@") {
      return "must not contain credentials; use bearer_token or headers"
    }
    return nil
  }

  // MARK: Silences

  func silences(_ node: Node, path: String) -> [Silence] {
    guard let items = list(node, path: path, what: "silences") else { return [] }
    var result: [Silence] = []
    for (index, item) in items.enumerated() {
      if let silence = silence(item, path: Self.element(path, index)) { result.append(silence) }
    }
    return result
  }

  func silence(_ node: Node, path: String) -> Silence? {
    guard let e = entries(node, path: path, known: Self.silenceKeys, what: "a silence") else {
      return nil
    }
    var matchers: [String: String]?
    if let n = e.value("matchers") {
      let before = errors.count
      let map = labelMap(n, path: e.path("matchers"), what: "matchers")
      if errors.count == before {
        if map.isEmpty {
          fail(
            e.path("matchers"), at: n,
            "a silence needs at least one matcher (it would mute every alert)")
        } else {
          matchers = map
        }
      }
    } else {
      requireKey("matchers", in: e, "a silence needs `matchers`, e.g. {provider: ollama}")
    }
    let starts = e.value("starts").flatMap { time($0, path: e.path("starts")) }
    if !e.has("starts") { requireKey("starts", in: e, "a silence needs `starts` (RFC 3339)") }
    let ends = e.value("ends").flatMap { time($0, path: e.path("ends")) }
    if !e.has("ends") { requireKey("ends", in: e, "a silence needs `ends` (RFC 3339)") }
    var comment = ""
    if let n = e.value("comment"), let text = string(n, path: e.path("comment")) {
      comment = text
    }
    guard let matchers, let starts, let ends else { return nil }
    guard ends > starts else {
      fail(
        e.path("ends"), at: e.value("ends"),
        "ends (\(RFC3339.format(ends))) must be after starts (\(RFC3339.format(starts)))")
      return nil
    }
    return Silence(matchers: matchers, starts: starts, ends: ends, comment: comment)
  }

  /// An RFC 3339 timestamp such as `2026-12-01T00:00:00Z`.
  func time(_ node: Node, path: String) -> Timestamp? {
    guard let text = string(node, path: path) else { return nil }
    guard let time = RFC3339.parse(text) else {
      fail(
        path, at: node,
        "invalid time\(Self.shown(text, of: node)); expected RFC 3339, e.g. 2026-12-01T00:00:00Z")
      return nil
    }
    return time
  }
}
