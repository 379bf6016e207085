extension ConfigDecoder {
  static let checkKeys = [
    "kind", "model", "max_tokens", "stream", "slow", "interval", "timeout", "circuit_breaker",
    "expect", "reasoning_effort",
  ]

  func checks(
    _ node: Node, path: String, provider timing: Timing, breaker: BreakerLevel,
    countRateLimited: Bool, providerType: ProviderType
  ) -> [CheckConfig] {
    guard let items = list(node, path: path, what: "checks") else { return [] }
    if items.isEmpty { fail(path, at: node, "provider has no checks; add at least one") }
    var result: [CheckConfig] = []
    var firstByModel: [String: Int] = [:]
    for (index, item) in items.enumerated() {
      let checkPath = Self.element(path, index)
      guard
        let (check, identity) = self.check(
          item, path: checkPath, provider: timing, breaker: breaker,
          countRateLimited: countRateLimited, providerType: providerType)
      else {
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
  func check(
    _ node: Node, path: String, provider: Timing, breaker inherited: BreakerLevel,
    countRateLimited: Bool, providerType: ProviderType
  ) -> (CheckConfig, (key: String, node: Node)?)? {
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
      for key in ["model", "max_tokens", "stream", "reasoning_effort"] where e.has(key) {
        fail(e.path(key), at: e.keyNode(key), "`\(key)` does not apply to a `kind: models` check")
      }
      if let n = e.value("expect") {
        check.expectedModels = expectedModels(n, path: e.path("expect"))
      }
      check.model = CheckID.modelsCheckModel
      check.maxTokens = 0
      check.stream = false
      identity = ("kind", e.value("kind") ?? node)
    case .chat, nil:
      if e.has("expect") {
        fail(
          e.path("expect"), at: e.keyNode("expect"),
          "`expect` lists the models a `kind: models` check must find; a chat check has one model")
      }
      if let n = e.value("model") {
        if let model = nonEmptyString(n, path: e.path("model")) {
          if model == CheckID.modelsCheckModel {
            fail(
              e.path("model"), at: n,
              "`\(model)` is reserved; use `kind: models` for a models check")
          } else if !Self.isValidModelID(model) {
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
      let reasoning = ReasoningProbe.defaults(type: providerType, model: check.model)
      check.reasoningEffort = reasoning?.effort
      if let reasoning { check.maxTokens = max(check.maxTokens, reasoning.minTokens) }
      if let n = e.value("max_tokens"),
        let v = int(n, path: e.path("max_tokens"), range: ConfigLimits.maxTokens)
      {
        check.maxTokens = v
      }
      if let n = e.value("reasoning_effort") {
        if providerType == .anthropic || providerType == .ollama {
          fail(
            e.path("reasoning_effort"), at: n,
            "`reasoning_effort` applies to openai and openrouter providers")
        } else if let text = string(n, path: e.path("reasoning_effort")) {
          if text == "default" {
            check.reasoningEffort = nil
          } else if ReasoningProbe.efforts.contains(text) {
            check.reasoningEffort = text
          } else {
            fail(
              e.path("reasoning_effort"), at: n,
              "unknown reasoning effort\(Self.shown(text, of: n)); expected one of: "
                + (ReasoningProbe.efforts + ["default"]).joined(separator: ", ")
                + " (`default` sends none)")
          }
        }
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
    var breaker = inherited
    if let n = e.value("circuit_breaker") {
      breaker = circuitBreaker(n, path: e.path("circuit_breaker"), inherited: breaker)
    }
    applyCountRateLimited(
      &breaker, countRateLimited: countRateLimited, path: path, node: e.value("circuit_breaker"))
    check.circuitBreaker = breaker.config
    return (check, identity)
  }
}

extension ConfigDecoder {
  /// `expect: [model ids]` of a models check: valid, unique model ids.
  func expectedModels(_ node: Node, path: String) -> [String] {
    guard let items = list(node, path: path, what: "model ids") else { return [] }
    var result: [String] = []
    var seen: [String: Int] = [:]
    for (i, item) in items.enumerated() {
      let itemPath = Self.element(path, i)
      guard let model = nonEmptyString(item, path: itemPath) else { continue }
      guard Self.isValidModelID(model) else {
        fail(
          itemPath, at: item,
          "a model id is 1 to \(ConfigLimits.modelLength) bytes without control characters, "
            + "quotes or backslashes")
        continue
      }
      if let line = seen[model] {
        fail(itemPath, at: item, "`\(model)` is listed twice (first at line \(line))")
        continue
      }
      seen[model] = item.mark?.line ?? 0
      result.append(model)
    }
    return result
  }

  static func isValidModelID(_ model: String) -> Bool {
    model.utf8.count <= ConfigLimits.modelLength
      && !model.unicodeScalars.contains(where: {
        $0.properties.generalCategory == .control || $0 == "\"" || $0 == "\\"
      })
  }
}
