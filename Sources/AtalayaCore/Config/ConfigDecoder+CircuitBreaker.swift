extension ConfigDecoder {
  /// Breaker settings resolved at one level (top, provider, check), and whether any level
  /// wrote `excluded_classes` (then `count_rate_limited` must not contradict it).
  struct BreakerLevel {
    var config = CircuitBreakerConfig()
    var excludedWritten: (path: String, node: Node)?
    var halfOpenWritten = false
  }

  static let circuitBreakerKeys = [
    "failure_threshold", "reset_timeout", "success_threshold", "half_open_probes", "error_rate",
    "latency", "excluded_classes", "quota_recheck", "auth_recheck",
  ]

  /// `circuit_breaker:` at `path` over `inherited`: each key written replaces the inherited
  /// value; the rest are kept.
  func circuitBreaker(_ node: Node, path: String, inherited: BreakerLevel) -> BreakerLevel {
    var level = inherited
    guard
      let e = entries(
        node, path: path, known: Self.circuitBreakerKeys, what: "circuit breaker settings")
    else { return level }
    var c = level.config
    if let n = e.value("failure_threshold"),
      let v = int(n, path: e.path("failure_threshold"), range: ConfigLimits.failureThreshold)
    {
      c.failureThreshold = v
    }
    if let n = e.value("reset_timeout"),
      let v = duration(n, path: e.path("reset_timeout"), range: ConfigLimits.resetTimeout)
    {
      c.resetTimeout = v
    }
    if let n = e.value("success_threshold"),
      let v = int(n, path: e.path("success_threshold"), range: ConfigLimits.successThreshold)
    {
      c.successThreshold = v
      if !level.halfOpenWritten { c.halfOpenProbes = v }
    }
    if let n = e.value("half_open_probes"),
      let v = int(n, path: e.path("half_open_probes"), range: ConfigLimits.successThreshold)
    {
      level.halfOpenWritten = true
      c.halfOpenProbes = v
    }
    if c.halfOpenProbes < c.successThreshold {
      let key = e.has("half_open_probes") ? "half_open_probes" : "success_threshold"
      fail(
        e.path(key), at: e.value(key) ?? node,
        "half_open_probes (\(c.halfOpenProbes)) is below success_threshold "
          + "(\(c.successThreshold)); the circuit could never close")
    }
    if let n = e.value("error_rate") { c.errorRate = errorRateTrip(n, path: e.path("error_rate")) }
    if let n = e.value("latency") { c.latency = latencyTrip(n, path: e.path("latency")) }
    if let n = e.value("excluded_classes"),
      let items = list(n, path: e.path("excluded_classes"), what: "result classes")
    {
      var classes = Set<ResultClass>()
      for (i, item) in items.enumerated() {
        guard
          let r = choice(
            item, path: Self.element(e.path("excluded_classes"), i), what: "result class",
            cases: ResultClass.allCases)
        else { continue }
        if r == .success {
          fail(Self.element(e.path("excluded_classes"), i), at: item, "`success` is not a failure")
          continue
        }
        classes.insert(r)
      }
      c.excludedClasses = classes
      level.excludedWritten = (e.path("excluded_classes"), n)
    }
    if let n = e.value("quota_recheck"),
      let v = duration(n, path: e.path("quota_recheck"), range: ConfigLimits.recheck)
    {
      c.quotaRecheck = v
    }
    if let n = e.value("auth_recheck"),
      let v = duration(n, path: e.path("auth_recheck"), range: ConfigLimits.recheck)
    {
      c.authRecheck = v
    }
    level.config = c
    return level
  }

  /// `error_rate: {threshold: 10%, window: 100, min_requests: 10}`.
  func errorRateTrip(_ node: Node, path: String) -> CircuitBreakerConfig.ErrorRateTrip? {
    guard
      let e = entries(
        node, path: path, known: ["threshold", "window", "min_requests"],
        what: "an error-rate trip")
    else { return nil }
    var trip = CircuitBreakerConfig.ErrorRateTrip()
    if let n = e.value("threshold") {
      guard let v = percentage(n, path: e.path("threshold")) else { return nil }
      trip.threshold = v
    }
    if let n = e.value("window") {
      guard
        let v = int(
          n, path: e.path("window"), range: 1...CircuitBreakerConfig.ErrorRateTrip.maxWindow)
      else { return nil }
      trip.window = v
    }
    if let n = e.value("min_requests") {
      guard let v = int(n, path: e.path("min_requests"), range: 1...trip.window) else {
        return nil
      }
      trip.minRequests = v
    } else {
      trip.minRequests = min(trip.minRequests, trip.window)
    }
    return trip
  }

  /// `latency: {threshold: 8s, consecutive: 3, min_requests: 10}`.
  func latencyTrip(_ node: Node, path: String) -> CircuitBreakerConfig.LatencyTrip? {
    guard
      let e = entries(
        node, path: path, known: ["threshold", "consecutive", "min_requests"],
        what: "a latency trip")
    else { return nil }
    guard let n = e.value("threshold") else {
      requireKey("threshold", in: e, "a latency trip needs a `threshold`, e.g. 8s")
      return nil
    }
    guard let threshold = duration(n, path: e.path("threshold"), range: ConfigLimits.slow) else {
      return nil
    }
    var trip = CircuitBreakerConfig.LatencyTrip(threshold: threshold)
    if let n = e.value("consecutive") {
      trip.consecutive = int(n, path: e.path("consecutive"), range: ConfigLimits.failureThreshold)
    }
    if let n = e.value("min_requests"),
      let v = int(n, path: e.path("min_requests"), range: ConfigLimits.failureThreshold)
    {
      if trip.consecutive != nil {
        fail(
          e.path("min_requests"), at: n,
          "`min_requests` applies to the window p95 form; with `consecutive` it has no effect")
      }
      trip.minRequests = v
    }
    return trip
  }

  /// Applies `count_rate_limited: true` to a resolved level: `rate_limited` then counts
  /// against the breaker, unless `excluded_classes` says otherwise (an error).
  func applyCountRateLimited(
    _ level: inout BreakerLevel, countRateLimited: Bool, path: String, node: Node?
  ) {
    guard countRateLimited else { return }
    if let written = level.excludedWritten {
      if level.config.excludedClasses.contains(.rateLimited) {
        fail(
          written.path, at: written.node,
          "excludes `rate_limited`, but the provider sets `count_rate_limited: true`; "
            + "remove one of the two")
      }
      return
    }
    level.config.excludedClasses.remove(.rateLimited)
  }
}
