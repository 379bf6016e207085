extension ConfigDecoder {
  static let rootKeys =
    [
      "listen", "state_dir", "window", "defaults", "providers", "circuit_breaker", "alerting",
      "admin_api", "slos", "incidents", "routes", "events", "external_labels",
    ] + ConfigDecoder.costRootKeys

  /// Decodes the whole document. Problems are collected in ``errors``; the
  /// returned value is only meaningful when there are none.
  func decodeDocument(_ root: Node) -> AtalayaConfig {
    var config = AtalayaConfig()
    guard let e = entries(root, path: "", known: Self.rootKeys, what: "the config") else {
      return config
    }

    if let node = e.value("listen"), let text = nonEmptyString(node, path: "listen"),
      let listen = listenAddress(text, node: node, path: "listen")
    {
      config.listen = listen
    }

    if let node = e.value("state_dir") {
      if let dir = nonEmptyString(node, path: "state_dir") {
        if dir.hasPrefix("/") {
          config.stateDir = dir
        } else {
          fail("state_dir", at: node, "must be an absolute path")
        }
      }
    } else if let fromSystemd = environment["STATE_DIRECTORY"] {
      // systemd joins several StateDirectory= entries with ':'; use the first.
      let first = fromSystemd.split(separator: ":").first.map(String.init) ?? ""
      config.stateDir = first.isEmpty ? nil : first
    }

    if let node = e.value("window"),
      let window = duration(node, path: "window", range: ConfigLimits.window)
    {
      config.window = window
    }

    var defaults = Timing(interval: config.defaults.interval, timeout: config.defaults.timeout)
    if let node = e.value("defaults"),
      let d = entries(node, path: "defaults", known: ["interval", "timeout"], what: "defaults")
    {
      defaults = timing(d, inherited: defaults, inheritedFrom: "the built-in defaults")
      config.defaults = CheckDefaults(interval: defaults.interval, timeout: defaults.timeout)
    }

    var breaker = BreakerLevel()
    if let node = e.value("circuit_breaker") {
      breaker = circuitBreaker(node, path: "circuit_breaker", inherited: breaker)
      config.circuitBreaker = breaker.config
    }

    if let node = e.value("alerting") {
      config.alerting = alerting(node)
    }

    if let node = e.value("providers") {
      config.providers = providers(node, defaults: defaults, breaker: breaker)
      // A check that runs with the top-level settings inherits them (nil).
      for p in config.providers.indices {
        for c in config.providers[p].checks.indices
        where config.providers[p].checks[c].circuitBreaker == config.circuitBreaker {
          config.providers[p].checks[c].circuitBreaker = nil
        }
      }
    } else {
      requireKey("providers", in: e, "no providers configured; add at least one under `providers`")
    }
    decodeCost(e, into: &config)
    decodeHistory(e, into: &config)
    decodeRoutes(e, into: &config)
    if let n = e.value("events"),
      let ev = entries(
        n, path: "events", known: ["max_subscribers"], what: "event stream settings"),
      let m = ev.value("max_subscribers"),
      let v = int(m, path: ev.path("max_subscribers"), range: 0...1024)
    {
      config.events.maxSubscribers = v
    }
    if let node = e.value("external_labels") {
      config.alerting.externalLabels = labelMap(
        node, path: "external_labels", what: "external labels", reserved: true)
    }
    if let node = e.value("admin_api"),
      let a = entries(node, path: "admin_api", known: ["bearer_token"], what: "admin API settings")
    {
      config.adminAPI.bearerToken = bearerToken(a)
    }
    return config
  }

  // MARK: Intervals and timeouts

  /// An interval and a timeout, resolved at one level. `timeoutWritten` tells whether
  /// the timeout was written in the file (at this level or one it inherits from) or is
  /// the built-in default.
  struct Timing {
    var interval: Duration
    var timeout: Duration
    var timeoutWritten = false
  }

  /// Reads optional `interval` and `timeout` keys over `inherited` values.
  ///
  /// A default never makes an explicit setting invalid: while no level wrote a
  /// timeout, the effective timeout is the smaller of the built-in default and the
  /// interval (`interval: 1s` alone probes with a 1 s timeout). Only a timeout written
  /// in the file that is longer than its interval is an error.
  func timing(_ e: Entries, inherited: Timing, inheritedFrom: String) -> Timing {
    var result = inherited
    var intervalSet = false
    var timeoutSet = false
    if let node = e.value("interval"),
      let value = duration(node, path: e.path("interval"), range: ConfigLimits.interval)
    {
      result.interval = value
      intervalSet = true
    }
    if let node = e.value("timeout"),
      let value = duration(node, path: e.path("timeout"), range: ConfigLimits.timeout)
    {
      result.timeout = value
      result.timeoutWritten = true
      timeoutSet = true
    }
    if !result.timeoutWritten {
      result.timeout = min(AtalayaConfig.builtInTimeout, result.interval)
      return result
    }
    if (intervalSet || timeoutSet) && result.timeout > result.interval {
      let key = timeoutSet ? "timeout" : "interval"
      let timeoutOrigin = timeoutSet ? "" : " (from \(inheritedFrom))"
      let intervalOrigin = intervalSet ? "" : " (from \(inheritedFrom))"
      fail(
        e.path(key), at: e.value(key),
        "timeout \(formatDuration(result.timeout))\(timeoutOrigin) is longer than the interval "
          + "\(formatDuration(result.interval))\(intervalOrigin); a probe must finish before the next one"
      )
    }
    return result
  }

  // MARK: listen, circuit_breaker

  /// `host:port`, or `[v6-address]:port`.
  func listenAddress(_ text: String, node: Node, path: String) -> ListenAddress? {
    guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    else {
      fail(
        path, at: node,
        "must not contain control characters such as a newline (check the ${VAR} it comes from)")
      return nil
    }
    let host: String
    let portText: String
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":")
      else {
        fail(path, at: node, "expected [IPv6-address]:port, e.g. [::1]:9478")
        return nil
      }
      host = String(text[text.index(after: text.startIndex)..<close])
      portText = String(text[text.index(close, offsetBy: 2)...])
    } else {
      guard let colon = text.lastIndex(of: ":") else {
        fail(path, at: node, "expected host:port, e.g. 127.0.0.1:9478")
        return nil
      }
      host = String(text[..<colon])
      portText = String(text[text.index(after: colon)...])
      if host.contains(":") {
        fail(path, at: node, "an IPv6 address needs brackets, e.g. [::1]:9478")
        return nil
      }
    }
    guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
      fail(path, at: node, "expected host:port with a host name or address, e.g. 127.0.0.1:9478")
      return nil
    }
    guard let port = Int(portText), ConfigLimits.port.contains(port) else {
      fail(path, at: node, "invalid port\(Self.shown(portText, of: node)); expected 0...65535")
      return nil
    }
    return ListenAddress(host: host, port: port)
  }
}
