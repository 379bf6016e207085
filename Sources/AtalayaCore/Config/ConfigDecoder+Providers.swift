extension ConfigDecoder {
  static let providerKeys = [
    "name", "type", "base_url", "api_key", "api_key_file", "api_key_credential", "headers",
    "interval", "timeout",
    "count_rate_limited", "checks", "account", "circuit_breaker", "rate_limit_requests",
    "rate_limit_window",
  ]

  func providers(_ node: Node, defaults: Timing, breaker: BreakerLevel) -> [ProviderConfig] {
    guard let items = list(node, path: "providers", what: "providers") else { return [] }
    if items.isEmpty { fail("providers", at: node, "no providers configured; add at least one") }
    var result: [ProviderConfig] = []
    var firstByName: [String: Node] = [:]
    for (index, item) in items.enumerated() {
      let path = Self.element("providers", index)
      guard
        let (provider, nameNode) = self.provider(
          item, path: path, defaults: defaults, breaker: breaker)
      else {
        continue
      }
      if let nameNode {
        if let first = firstByName[provider.name] {
          fail(
            Self.child(path, "name"), at: nameNode,
            "duplicate provider name `\(provider.name)` (first used at line \(first.mark?.line ?? 0))"
          )
        } else {
          firstByName[provider.name] = nameNode
        }
      }
      result.append(provider)
    }
    let checks = result.reduce(0) { $0 + $1.checks.count }
    if checks > ConfigLimits.maxChecks {
      fail(
        "providers", at: node,
        "at most \(ConfigLimits.maxChecks) checks over all providers are allowed, got \(checks)")
    }
    return result
  }

  /// One provider, and the node of its name (for duplicate detection).
  func provider(_ node: Node, path: String, defaults: Timing, breaker inherited: BreakerLevel)
    -> (ProviderConfig, Node?)?
  {
    guard let e = entries(node, path: path, known: Self.providerKeys, what: "a provider") else {
      return nil
    }
    var provider = ProviderConfig(name: "", baseURL: "")

    var nameNode: Node?
    if let n = e.value("name"), let name = nonEmptyString(n, path: e.path("name")) {
      if Self.isValidName(name) {
        provider.name = name
        nameNode = n
      } else {
        fail(
          e.path("name"), at: n,
          "invalid name\(Self.shown(name, of: n)); use 1 to \(ConfigLimits.nameLength) "
            + "lowercase letters, digits, `_` and `-`")
      }
    } else if !e.has("name") {
      requireKey("name", in: e, "a provider needs a `name`")
    }

    var type: ProviderType? = .openai
    if let n = e.value("type") {
      type = choice(n, path: e.path("type"), what: "provider type", cases: ProviderType.allCases)
    }
    provider.type = type ?? .openai

    if let n = e.value("base_url") {
      if let text = nonEmptyString(n, path: e.path("base_url")),
        let url = baseURL(text, node: n, path: e.path("base_url"))
      {
        provider.baseURL = url
      }
    } else if let type {
      provider.baseURL = type.defaultBaseURL
    }

    provider.apiKey = apiKey(e, type: type)

    if let n = e.value("headers") {
      provider.headers = headers(n, path: e.path("headers"))
    }

    let timing = self.timing(e, inherited: defaults, inheritedFrom: "defaults")
    provider.interval = timing.interval
    provider.timeout = timing.timeout

    if let n = e.value("count_rate_limited"), let v = bool(n, path: e.path("count_rate_limited")) {
      provider.countRateLimited = v
    }

    provider.account = accountPolling(e, type: type)
    provider.rateLimit = requestRateLimit(e)

    var breaker = inherited
    if let n = e.value("circuit_breaker") {
      breaker = circuitBreaker(n, path: e.path("circuit_breaker"), inherited: breaker)
    }

    if let n = e.value("checks") {
      provider.checks = checks(
        n, path: e.path("checks"), provider: timing, breaker: breaker,
        countRateLimited: provider.countRateLimited, providerType: provider.type)
    } else {
      requireKey("checks", in: e, "provider has no checks; add at least one under `checks`")
    }
    return (provider, nameNode)
  }

  static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.count <= ConfigLimits.nameLength
      && name.unicodeScalars.allSatisfy { c in
        (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "_" || c == "-"
      }
  }

  /// An http(s) URL without credentials, query or fragment; trailing slashes removed.
  /// The URL itself is never shown in a message (it could hold a token).
  func baseURL(_ text: String, node: Node, path: String) -> String? {
    let lower = text.lowercased()
    guard let schemeEnd = lower.hasPrefix("https://") ? 8 : lower.hasPrefix("http://") ? 7 : nil
    else {
      fail(path, at: node, "must be an http:// or https:// URL")
      return nil
    }
    if text.unicodeScalars.contains(where: {
      $0.properties.isWhitespace || $0.properties.generalCategory == .control
    }) {
      fail(path, at: node, "must not contain spaces or control characters")
      return nil
    }
    if text.contains("?") || text.contains("#") {
      fail(path, at: node, "must not have a query or fragment")
      return nil
    }
    let rest = text.dropFirst(schemeEnd)
    let authority = rest.prefix { $0 != "/" }
    if authority.contains("@") {
      fail(path, at: node, "must not contain credentials; use api_key, api_key_file or headers")
      return nil
    }
    var hostPort = Substring(authority)
    if hostPort.hasPrefix("[") {
      guard let close = hostPort.firstIndex(of: "]"),
        close > hostPort.index(after: hostPort.startIndex)
      else {
        fail(path, at: node, "has an invalid IPv6 host")
        return nil
      }
      hostPort = "h" + hostPort[hostPort.index(after: close)...]
    }
    let parts = hostPort.split(separator: ":", omittingEmptySubsequences: false)
    guard let host = parts.first, !host.isEmpty, parts.count <= 2 else {
      fail(path, at: node, "has no valid host")
      return nil
    }
    if parts.count == 2 {
      guard let port = Int(parts[1]), (1...65535).contains(port) else {
        fail(path, at: node, "has an invalid port")
        return nil
      }
    }
    var url = text
    while url.hasSuffix("/") { url.removeLast() }
    return url
  }

  /// Extra headers, in config order. Names are HTTP tokens; values are secrets.
  func headers(_ node: Node, path: String) -> [HeaderField] {
    guard case .mapping(let mapping) = node else {
      fail(
        path, at: node, "expected headers (a mapping of name: value), got \(Self.kindName(node))")
      return []
    }
    var result: [HeaderField] = []
    var seen: [String: Int] = [:]
    for (key, value) in mapping {
      guard case .scalar(let keyScalar) = key else {
        fail(path, at: key, "header names must be strings")
        continue
      }
      let name = keyScalar.string
      let headerPath = Self.child(path, name)
      // Read the value first so it is known as a secret whatever else is wrong.
      let text = string(value, path: headerPath, secret: true)
      guard Self.isHeaderName(name) else {
        fail(
          headerPath, at: key,
          "invalid header name\(Self.shown(name)); use letters, digits and - _ . ! # $ % & ' * + ^ ` | ~"
        )
        continue
      }
      if let line = seen[name.lowercased()] {
        fail(headerPath, at: key, "header `\(name)` is set twice (first at line \(line))")
        continue
      }
      seen[name.lowercased()] = key.mark?.line ?? 0
      guard let text else { continue }
      if text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
        fail(headerPath, at: value, "header value must not contain line breaks or NUL")
        continue
      }
      result.append(HeaderField(name: name, value: Secret(text)))
    }
    return result
  }

  static func isHeaderName(_ name: String) -> Bool {
    let extra: Set<Unicode.Scalar> = [
      "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~",
    ]
    return !name.isEmpty
      && name.unicodeScalars.allSatisfy { c in
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9")
          || extra.contains(c)
      }
  }
}
