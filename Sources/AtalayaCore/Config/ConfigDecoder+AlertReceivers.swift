extension ConfigDecoder {
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
        let problem =
          kind == .email ? Self.smtpURLProblem(text) : Self.urlProblem(text)
        if kind == .console {
          fail(e.path("url"), at: n, "a console receiver prints to standard output; remove `url`")
          ok = false
        } else if let problem {
          fail(e.path("url"), at: n, problem)
          ok = false
        } else {
          receiver.url = Secret(text)
        }
      }
    } else if kind == .pagerduty {
      receiver.url = Secret(ReceiverConfig.pagerDutyURL)
    } else if let kind, kind != .console {
      requireKey(
        "url", in: e,
        kind == .email
          ? "an `email` receiver needs a `url`: smtp://HOST:PORT or smtps://HOST:465"
          : "a `\(kind.rawValue)` receiver needs a `url`")
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
    if let n = e.value("severity_at_least"),
      let text = nonEmptyString(n, path: e.path("severity_at_least"))
    {
      if AlertSeverity.ordered.contains(text) {
        receiver.severityAtLeast = text
      } else {
        var message = "unknown severity\(Self.shown(text, of: n))"
        if let suggestion = KeySuggestion.closest(to: text, in: AlertSeverity.ordered) {
          message += " (did you mean `\(suggestion)`?)"
        }
        fail(
          e.path("severity_at_least"), at: n,
          message + "; expected one of: " + AlertSeverity.ordered.joined(separator: ", "))
      }
    }
    if let kind, !kindSpecificKeys(e, kind: kind, into: &receiver) { ok = false }
    guard ok, name != nil, kind != nil, let nameNode = e.value("name") else { return nil }
    return (receiver, nameNode)
  }

  /// Why `text` is not a usable smtp:// or smtps:// URL, or nil. Never quotes the URL.
  static func smtpURLProblem(_ text: String) -> String? {
    let lower = text.lowercased()
    guard let schemeEnd = lower.hasPrefix("smtps://") ? 8 : lower.hasPrefix("smtp://") ? 7 : nil
    else { return "must be an smtp:// or smtps:// URL, e.g. smtp://mail.example.com:587" }
    if text.unicodeScalars.contains(where: {
      $0.properties.isWhitespace || $0.properties.generalCategory == .control
    }) {
      return "must not contain spaces or control characters"
    }
    let authority = text.dropFirst(schemeEnd).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    if authority.isEmpty || authority.hasPrefix(":") { return "has no valid host" }
    if authority.contains("@") {
      return "must not contain credentials; use username and password"
    }
    return nil
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
}
