import Yams

extension ConfigDecoder {
  static let checkKeys = ["kind", "model", "max_tokens", "stream", "slow", "interval", "timeout"]

  func checks(_ node: Node, path: String, provider timing: Timing) -> [CheckConfig] {
    guard let items = list(node, path: path, what: "checks") else { return [] }
    if items.isEmpty { fail(path, at: node, "provider has no checks; add at least one") }
    var result: [CheckConfig] = []
    var firstByModel: [String: Int] = [:]
    for (index, item) in items.enumerated() {
      let checkPath = Self.element(path, index)
      guard let (check, identity) = self.check(item, path: checkPath, provider: timing) else {
        continue
      }
      if let identity {
        if let line = firstByModel[check.model] {
          let what =
            check.kind == .models
            ? "a second models check" : "duplicate check for model `\(check.model)`"
          fail(
            Self.child(checkPath, identity.key), at: identity.node,
            "\(what) (first at line \(line))")
        } else {
          firstByModel[check.model] = identity.node.mark?.line ?? 0
        }
      }
      result.append(check)
    }
    return result
  }

  /// One check, and the key and node that identify it (for duplicate detection).
  func check(_ node: Node, path: String, provider: Timing) -> (
    CheckConfig, (key: String, node: Node)?
  )? {
    guard let e = entries(node, path: path, known: Self.checkKeys, what: "a check") else {
      return nil
    }
    var check = CheckConfig(model: "")
    var identity: (key: String, node: Node)?

    var kind: CheckKind? = .chat
    if let n = e.value("kind") {
      kind = choice(n, path: e.path("kind"), what: "check kind", cases: CheckKind.allCases)
    }
    check.kind = kind ?? .chat

    switch kind {
    case .models:
      for key in ["model", "max_tokens", "stream"] where e.has(key) {
        fail(e.path(key), at: e.keyNode(key), "`\(key)` does not apply to a `kind: models` check")
      }
      check.model = CheckID.modelsCheckModel
      check.maxTokens = 0
      check.stream = false
      identity = ("kind", e.value("kind") ?? node)
    case .chat, nil:
      if let n = e.value("model") {
        if let model = nonEmptyString(n, path: e.path("model")) {
          if model == CheckID.modelsCheckModel {
            fail(
              e.path("model"), at: n,
              "`\(model)` is reserved; use `kind: models` for a models check")
          } else if model.utf8.count > ConfigLimits.modelLength
            || model.unicodeScalars.contains(where: {
              $0.properties.generalCategory == .control || $0 == "\"" || $0 == "\\"
            })
          {
            fail(
              e.path("model"), at: n,
              "a model id is 1 to \(ConfigLimits.modelLength) bytes without control characters, "
                + "quotes or backslashes")
          } else if kind != nil {
            check.model = model
            identity = ("model", n)
          }
        }
      } else if kind != nil {
        requireKey("model", in: e, "a chat check needs a `model`")
      }
      if let n = e.value("max_tokens"),
        let v = int(n, path: e.path("max_tokens"), range: ConfigLimits.maxTokens)
      {
        check.maxTokens = v
      }
      if let n = e.value("stream"), let v = bool(n, path: e.path("stream")) {
        check.stream = v
      }
    }

    let timing = self.timing(e, inherited: provider, inheritedFrom: "the provider")
    check.interval = timing.interval
    check.timeout = timing.timeout
    // The default `slow` never exceeds the timeout (a check could never be slow).
    check.slow = min(check.slow, timing.timeout)

    if let n = e.value("slow"), let v = duration(n, path: e.path("slow"), range: ConfigLimits.slow)
    {
      check.slow = v
      if v > timing.timeout {
        fail(
          e.path("slow"), at: n,
          "slow \(formatDuration(v)) is longer than the timeout \(formatDuration(timing.timeout)); "
            + "the check could never be slow")
      }
    }
    return (check, identity)
  }
}
