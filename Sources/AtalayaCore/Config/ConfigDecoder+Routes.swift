extension ConfigDecoder {
  static let routeKeys = [
    "name", "candidates", "skip_below", "max_latency_p95", "order", "disable_for",
  ]
  static let candidateKeys = ["provider", "model", "rate_limit_requests", "rate_limit_window"]
  static let rateLimitWindow: ClosedRange<Duration> = .seconds(1)...(.seconds(86_400))
  static let disableFor: ClosedRange<Duration> = .zero...(.seconds(86_400))

  /// `rate_limit_requests` with `rate_limit_window` (default 1m) in `e`, if written.
  func requestRateLimit(_ e: Entries) -> RequestRateLimit? {
    guard let n = e.value("rate_limit_requests") else {
      if let w = e.value("rate_limit_window") {
        fail(e.path("rate_limit_window"), at: w, "`rate_limit_window` needs `rate_limit_requests`")
      }
      return nil
    }
    guard
      let requests = int(
        n, path: e.path("rate_limit_requests"), range: 1...RequestRateLimit.maxRequests)
    else { return nil }
    var window = Duration.seconds(60)
    if let w = e.value("rate_limit_window") {
      guard let d = duration(w, path: e.path("rate_limit_window"), range: Self.rateLimitWindow)
      else {
        return nil
      }
      window = d
    }
    return RequestRateLimit(requests: requests, window: window)
  }

  /// `routes:`.
  func decodeRoutes(_ e: Entries, into config: inout AtalayaConfig) {
    guard let n = e.value("routes"), let items = list(n, path: "routes", what: "routes") else {
      return
    }
    var seen: [String: Int] = [:]
    for (index, item) in items.enumerated() {
      let path = Self.element("routes", index)
      guard let route = self.route(item, path: path, config: config) else { continue }
      if let line = seen[route.name] {
        fail(
          Self.child(path, "name"), at: item,
          "duplicate route name `\(route.name)` (first at line \(line))")
        continue
      }
      seen[route.name] = item.mark?.line ?? 0
      config.routes.append(route)
    }
  }

  func route(_ node: Node, path: String, config: AtalayaConfig) -> RouteConfig? {
    guard let e = entries(node, path: path, known: Self.routeKeys, what: "a route") else {
      return nil
    }
    var route = RouteConfig(name: "", candidates: [])
    var ok = true
    if let n = e.value("name"), let name = nonEmptyString(n, path: e.path("name")) {
      if Self.isValidName(name) {
        route.name = name
      } else {
        fail(e.path("name"), at: n, "invalid route name\(Self.shown(name, of: n)); use [a-z0-9_-]+")
        ok = false
      }
    } else {
      if !e.has("name") { requireKey("name", in: e, "a route needs a `name`") }
      ok = false
    }
    if let n = e.value("skip_below") {
      if let v = percentage(n, path: e.path("skip_below")) {
        route.skipBelow = v
      } else {
        ok = false
      }
    }
    if let n = e.value("max_latency_p95") {
      if let v = duration(n, path: e.path("max_latency_p95"), range: ConfigLimits.slow) {
        route.maxLatencyP95 = v
      } else {
        ok = false
      }
    }
    if let n = e.value("order") {
      if let v = choice(
        n, path: e.path("order"), what: "route order", cases: RouteConfig.Order.allCases)
      {
        route.order = v
      } else {
        ok = false
      }
    }
    if let n = e.value("disable_for") {
      if let v = duration(n, path: e.path("disable_for"), range: Self.disableFor) {
        route.disableFor = v
      } else {
        ok = false
      }
    }
    guard let n = e.value("candidates") else {
      requireKey("candidates", in: e, "a route needs `candidates`, e.g. [openai/gpt-4o-mini]")
      return nil
    }
    guard let items = list(n, path: e.path("candidates"), what: "candidates") else { return nil }
    if items.isEmpty {
      fail(e.path("candidates"), at: n, "a route needs at least one candidate")
      return nil
    }
    let providers = config.providers.map(\.name)
    var seen = Set<ModelKey>()
    for (i, item) in items.enumerated() {
      let itemPath = Self.element(e.path("candidates"), i)
      guard let c = candidate(item, path: itemPath, providers: providers) else {
        ok = false
        continue
      }
      guard seen.insert(c.key).inserted else {
        fail(itemPath, at: item, "`\(c.provider)/\(c.model)` is listed twice")
        ok = false
        continue
      }
      route.candidates.append(c)
    }
    return ok ? route : nil
  }

  /// `provider/model` (the model may contain `/`) or `{provider, model, rate_limit_requests,
  /// rate_limit_window}`. The provider must be configured; the model is probed by one of
  /// its checks or reported to the usage API.
  func candidate(_ node: Node, path: String, providers: [String]) -> RouteCandidate? {
    var provider = ""
    var model = ""
    var limit: RequestRateLimit?
    var at = node
    switch node {
    case .scalar:
      guard let text = nonEmptyString(node, path: path) else { return nil }
      guard let slash = text.firstIndex(of: "/"), slash != text.startIndex,
        text.index(after: slash) != text.endIndex
      else {
        fail(
          path, at: node,
          "expected provider/model, e.g. openai/gpt-4o-mini\(Self.got(text, of: node))")
        return nil
      }
      provider = String(text[..<slash])
      model = String(text[text.index(after: slash)...])
    default:
      guard let e = entries(node, path: path, known: Self.candidateKeys, what: "a candidate") else {
        return nil
      }
      guard let p = e.value("provider"), let m = e.value("model") else {
        requireKey(
          e.has("provider") ? "model" : "provider", in: e,
          "a candidate needs `provider` and `model`")
        return nil
      }
      guard let pt = nonEmptyString(p, path: e.path("provider")),
        let mt = nonEmptyString(m, path: e.path("model"))
      else { return nil }
      provider = pt
      model = mt
      at = p
      limit = requestRateLimit(e)
      if e.has("rate_limit_requests") && limit == nil { return nil }
    }
    guard providers.contains(provider) else {
      var message = "no provider named `\(provider)`"
      if let s = KeySuggestion.closest(to: provider, in: providers) {
        message += " (did you mean `\(s)`?)"
      }
      fail(path, at: at, message)
      return nil
    }
    guard Self.isValidModelID(model) else {
      fail(
        path, at: at,
        "a model id is 1 to \(ConfigLimits.modelLength) bytes without control characters, quotes or backslashes"
      )
      return nil
    }
    return RouteCandidate(provider: provider, model: model, rateLimit: limit)
  }
}
