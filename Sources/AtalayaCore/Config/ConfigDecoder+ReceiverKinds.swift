extension ConfigDecoder {
  /// Keys that only one receiver type takes, and that type.
  static let receiverKindKeys: [String: ReceiverConfig.Kind] = [
    "body_template": .webhook, "content_type": .webhook, "from": .email, "to": .email,
    "username": .email, "password": .email, "require_tls": .email, "subject": .email,
    "text": .email, "html": .email, "routing_key": .pagerduty,
  ]

  /// The keys of one receiver type (`email`, `pagerduty`, templated `webhook`); false when
  /// the receiver is unusable. A key of another type is an error at that key.
  func kindSpecificKeys(
    _ e: Entries, kind: ReceiverConfig.Kind, into receiver: inout ReceiverConfig
  )
    -> Bool
  {
    var ok = true
    for (key, owner) in Self.receiverKindKeys.sorted(by: { $0.key < $1.key })
    where owner != kind && e.has(key) {
      fail(
        e.path(key), at: e.keyNode(key),
        "`\(key)` applies to `type: \(owner.rawValue)` receivers only")
      ok = false
    }
    if kind == .email {
      for key in ["headers", "bearer_token"] where e.has(key) {
        fail(e.path(key), at: e.keyNode(key), "an email receiver sends no HTTP headers")
        ok = false
      }
    }
    switch kind {
    case .webhook: webhookTemplate(e, into: &receiver)
    case .email:
      guard let settings = emailSettings(e) else { return false }
      receiver.email = settings
    case .pagerduty:
      if let n = e.value("routing_key") {
        if let key = string(n, path: e.path("routing_key"), secret: true) {
          if key.isEmpty || key.unicodeScalars.contains(where: Self.isSpaceOrControl) {
            fail(
              e.path("routing_key"), at: n,
              "the routing key must not be empty or contain spaces or control characters")
            ok = false
          } else {
            receiver.routingKey = Secret(key)
          }
        } else {
          ok = false
        }
      } else {
        requireKey(
          "routing_key", in: e,
          "a `pagerduty` receiver needs a `routing_key` (the integration key of an Events API v2 service)"
        )
        ok = false
      }
    case .slack, .alertmanager, .console: break
    }
    return ok
  }

  static func isSpaceOrControl(_ c: Unicode.Scalar) -> Bool {
    c.properties.isWhitespace || c.properties.generalCategory == .control
  }

  private func webhookTemplate(_ e: Entries, into receiver: inout ReceiverConfig) {
    if let n = e.value("body_template") {
      receiver.bodyTemplate = template(n, path: e.path("body_template"))
    }
    if let n = e.value("content_type"), let text = nonEmptyString(n, path: e.path("content_type")) {
      if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        || !text.contains("/")
      {
        fail(
          e.path("content_type"), at: n,
          "expected a media type such as application/json or text/plain; charset=utf-8")
      } else if !e.has("body_template") {
        fail(
          e.path("content_type"), at: e.keyNode("content_type"),
          "`content_type` needs a `body_template` (the Alertmanager payload is always JSON)")
      } else {
        receiver.contentType = text
      }
    }
  }

  private func emailSettings(_ e: Entries) -> EmailSettings? {
    var ok = true
    var settings = EmailSettings(from: "", to: [])
    if let n = e.value("from"), let text = nonEmptyString(n, path: e.path("from")) {
      if EmailSettings.isValidAddress(text) {
        settings.from = text
      } else {
        fail(e.path("from"), at: n, Self.addressProblem(text, of: n))
        ok = false
      }
    } else {
      requireKey("from", in: e, "an `email` receiver needs a `from` address")
      ok = false
    }
    if let n = e.value("to") {
      let nodes: [Node]
      if case .scalar = n {
        nodes = [n]
      } else {
        nodes = list(n, path: e.path("to"), what: "addresses") ?? []
      }
      for (index, item) in nodes.enumerated() {
        let itemPath = n == item ? e.path("to") : Self.element(e.path("to"), index)
        guard let text = nonEmptyString(item, path: itemPath) else {
          ok = false
          continue
        }
        if EmailSettings.isValidAddress(text) {
          if !settings.to.contains(text) { settings.to.append(text) }
        } else {
          fail(itemPath, at: item, Self.addressProblem(text, of: item))
          ok = false
        }
      }
      if nodes.isEmpty {
        fail(e.path("to"), at: n, "list at least one recipient")
        ok = false
      }
    } else {
      requireKey("to", in: e, "an `email` receiver needs `to: [ADDRESS, …]`")
      ok = false
    }
    if let n = e.value("username"), let text = nonEmptyString(n, path: e.path("username")) {
      if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
        fail(e.path("username"), at: n, "must not contain control characters")
        ok = false
      } else {
        settings.username = text
      }
    }
    if let n = e.value("password"), let text = string(n, path: e.path("password"), secret: true) {
      if text.isEmpty
        || text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
      {
        fail(e.path("password"), at: n, "must not be empty or contain control characters")
        ok = false
      } else {
        settings.password = Secret(text)
      }
    }
    if e.has("password") != e.has("username") {
      let missing = e.has("password") ? "username" : "password"
      requireKey(missing, in: e, "set both `username` and `password` for SMTP AUTH, or neither")
      ok = false
    }
    if let n = e.value("require_tls"), let v = bool(n, path: e.path("require_tls")) {
      settings.requireTLS = v
    }
    if let n = e.value("subject") { settings.subject = template(n, path: e.path("subject")) }
    if let n = e.value("text") { settings.text = template(n, path: e.path("text")) }
    if let n = e.value("html") { settings.html = template(n, path: e.path("html")) }
    return ok ? settings : nil
  }

  private static func addressProblem(_ text: String, of node: Node) -> String {
    "invalid email address\(shown(text, of: node)); expected a bare address like "
      + "alerts@example.com (no display name, spaces, line breaks or commas)"
  }

  /// A ``GroupTemplate``; a problem is reported at its character where the text maps 1:1.
  func template(_ node: Node, path: String) -> GroupTemplate? {
    guard let text = string(node, path: path) else { return nil }
    switch GroupTemplate.parse(text) {
    case .success(let template): return template
    case .failure(let problem):
      let (line, column) = templatePosition(ofOffset: problem.offset, in: node, text: text)
      fail(path, line: line, column: column, problem.message)
      return nil
    }
  }

  /// Like ``position(ofOffset:in:text:)``, and for `|` block scalars the line of the
  /// offending character and its column below the block's indentation.
  func templatePosition(ofOffset offset: Int, in node: Node, text: String) -> (Int, Int) {
    guard case .scalar(let scalar) = node, let mark = scalar.mark, scalar.string == text,
      scalar.style == .literal
    else { return Self.position(ofOffset: offset, in: node, text: text) }
    let before = text.prefix(offset)
    let line = mark.line + 1 + before.count(where: { $0 == "\n" })
    let column = before.reversed().prefix { $0 != "\n" }.count
    // The block's indentation is that of its lines in the file (1-based `line`).
    guard line >= 1, line <= sourceLines.count else { return (mark.line, mark.column) }
    let indentation = sourceLines[line - 1].prefix { $0 == " " }.count
    return (line, indentation + column + 1)
  }
}
