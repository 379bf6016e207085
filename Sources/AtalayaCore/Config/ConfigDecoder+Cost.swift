/// `pricing:`, `budgets:`, `probe_budget_per_hour:`, `usage_api:` and a
/// provider's `account:`.
extension ConfigDecoder {
  static let costRootKeys = ["pricing", "budgets", "probe_budget_per_hour", "usage_api"]
  static let accountPollInterval: ClosedRange<Duration> = .seconds(1)...(.seconds(24 * 3600))
  static let budgetRollingPeriod: ClosedRange<Duration> = .seconds(60)...(.seconds(400 * 86_400))
  static let usageBodyLimit: ClosedRange<Int> = 1024...(64 << 20)

  /// Decodes the cost keys of the root mapping, then checks budgets against the
  /// providers and the probe spend estimate against its limit.
  func decodeCost(_ e: Entries, into config: inout AtalayaConfig) {
    var cost = CostConfig()
    if let n = e.value("pricing") { cost.pricing = pricing(n) }
    if let n = e.value("probe_budget_per_hour"),
      let v = decimal(n, path: "probe_budget_per_hour", allowZero: true)
    {
      cost.probeBudgetPerHour = v
    }
    if let n = e.value("usage_api") { cost.usageAPI = usageAPI(n) }
    if let n = e.value("budgets") {
      cost.budgets = budgets(n, providers: config.providers.map(\.name))
    }
    config.cost = cost
    let estimate = ProbeSpendEstimate(config: config)
    if errors.isEmpty, estimate.exceedsLimit {
      fail(
        "probe_budget_per_hour", at: e.value("probe_budget_per_hour") ?? e.node, estimate.refusal)
    }
  }

  /// A number >= 0 (> 0 unless `allowZero`).
  func decimal(_ node: Node, path: String, allowZero: Bool) -> Double? {
    guard let text = string(node, path: path) else { return nil }
    var t = Substring(text)
    if t.hasPrefix("$") { t = t.dropFirst() }
    guard let v = Double(t), v.isFinite else {
      fail(path, at: node, "expected a number\(Self.got(text, of: node))")
      return nil
    }
    guard allowZero ? v >= 0 : v > 0 else {
      fail(path, at: node, allowZero ? "must not be negative" : "must be greater than 0")
      return nil
    }
    return v
  }

  func pricing(_ node: Node) -> [String: ModelPrice] {
    guard case .mapping(let mapping) = node else {
      fail(
        "pricing", at: node,
        "expected prices (a mapping of model: {input_per_mtok, output_per_mtok}), got \(Self.kindName(node))"
      )
      return [:]
    }
    var result: [String: ModelPrice] = [:]
    for (key, value) in mapping {
      guard case .scalar(let k) = key, !k.string.isEmpty else {
        fail("pricing", at: key, "model names must be non-empty strings")
        continue
      }
      let path = Self.child("pricing", k.string)
      guard
        let e = entries(
          value, path: path, known: ["input_per_mtok", "output_per_mtok"], what: "a model price")
      else { continue }
      var input: Double?
      var output: Double?
      for key in ["input_per_mtok", "output_per_mtok"] {
        if let n = e.value(key) {
          let v = decimal(n, path: e.path(key), allowZero: true)
          if key == "input_per_mtok" { input = v } else { output = v }
        } else {
          requireKey(key, in: e, "`\(key)` is required (USD per million tokens)")
        }
      }
      if let input, let output {
        result[k.string] = ModelPrice(inputPerMTok: input, outputPerMTok: output)
      }
    }
    return result
  }

  func usageAPI(_ node: Node) -> UsageAPIConfig {
    var result = UsageAPIConfig()
    guard
      let e = entries(
        node, path: "usage_api", known: ["bearer_token", "max_body_bytes"],
        what: "usage API settings")
    else { return result }
    result.bearerToken = bearerToken(e)
    if let n = e.value("max_body_bytes"), let v = byteSize(n, path: e.path("max_body_bytes")) {
      result.maxBodyBytes = v
    }
    return result
  }

  /// An optional `bearer_token` (a secret of at least 16 characters, printable ASCII:
  /// it travels in a header).
  func bearerToken(_ e: Entries) -> Secret? {
    guard let n = e.value("bearer_token"),
      let token = string(n, path: e.path("bearer_token"), secret: true)
    else { return nil }
    guard token.count >= 16 else {
      fail(e.path("bearer_token"), at: n, "must be at least 16 characters")
      return nil
    }
    guard token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
      fail(e.path("bearer_token"), at: n, "must be printable ASCII without spaces")
      return nil
    }
    return Secret(token)
  }

  /// `1048576`, `512KiB`, `1MiB`.
  func byteSize(_ node: Node, path: String) -> Int? {
    guard let text = string(node, path: path) else { return nil }
    let units: [(String, Int)] = [("KiB", 1024), ("MiB", 1 << 20), ("KB", 1000), ("MB", 1_000_000)]
    var number = Substring(text)
    var scale = 1
    for (suffix, s) in units where text.hasSuffix(suffix) {
      number = text.dropLast(suffix.count)
      scale = s
      break
    }
    guard let n = Int(number.trimmingPrefix(" ")), n > 0, n <= Int.max / scale else {
      fail(
        path, at: node, "expected a size like 1048576, 512KiB or 1MiB\(Self.got(text, of: node))")
      return nil
    }
    let v = n * scale
    guard Self.usageBodyLimit.contains(v) else {
      fail(path, at: node, "\(v) bytes is out of range; allowed: 1KiB...64MiB")
      return nil
    }
    return v
  }

  func budgets(_ node: Node, providers: [String]) -> [BudgetConfig] {
    guard let items = list(node, path: "budgets", what: "budgets") else { return [] }
    var result: [BudgetConfig] = []
    var firstLine: [String: Int] = [:]
    for (index, item) in items.enumerated() {
      let path = Self.element("budgets", index)
      guard
        let e = entries(
          item, path: path, known: ["name", "limit_usd", "period", "providers", "warn_at"],
          what: "a budget")
      else { continue }
      var budget = BudgetConfig(name: "", limitUSD: 0, period: .month)
      var ok = true
      if let n = e.value("name"), let name = nonEmptyString(n, path: e.path("name")) {
        if !Self.isValidName(name) {
          fail(
            e.path("name"), at: n,
            "invalid name\(Self.shown(name, of: n)); use 1 to \(ConfigLimits.nameLength) "
              + "lowercase letters, digits, `_` and `-`")
          ok = false
        } else if let line = firstLine[name] {
          fail(
            e.path("name"), at: n, "duplicate budget name `\(name)` (first used at line \(line))")
          ok = false
        } else {
          firstLine[name] = n.mark?.line ?? 0
          budget.name = name
        }
      } else {
        if !e.has("name") { requireKey("name", in: e, "a budget needs a `name`") }
        ok = false
      }
      if let n = e.value("limit_usd"),
        let v = decimal(n, path: e.path("limit_usd"), allowZero: false)
      {
        budget.limitUSD = v
      } else {
        if !e.has("limit_usd") { requireKey("limit_usd", in: e, "a budget needs `limit_usd`") }
        ok = false
      }
      if let n = e.value("period") {
        if let p = period(n, path: e.path("period")) { budget.period = p } else { ok = false }
      } else {
        requireKey(
          "period", in: e,
          "a budget needs a `period`: hour, day, week, month or a duration like 24h")
        ok = false
      }
      if let n = e.value("providers"),
        let list = list(n, path: e.path("providers"), what: "provider names")
      {
        for (i, p) in list.enumerated() {
          let ppath = Self.element(e.path("providers"), i)
          guard let name = nonEmptyString(p, path: ppath) else {
            ok = false
            continue
          }
          if !providers.contains(name) {
            var message = "unknown provider\(Self.shown(name, of: p))"
            if let s = KeySuggestion.closest(to: name, in: providers) {
              message += " (did you mean `\(s)`?)"
            }
            fail(ppath, at: p, message + "; configured: " + providers.joined(separator: ", "))
            ok = false
          } else if !budget.providers.contains(name) {
            budget.providers.append(name)
          }
        }
      }
      if let n = e.value("warn_at"),
        let list = list(n, path: e.path("warn_at"), what: "percentages")
      {
        for (i, w) in list.enumerated() {
          if let v = percentage(w, path: Self.element(e.path("warn_at"), i)) {
            budget.warnAt.append(v)
          } else {
            ok = false
          }
        }
        budget.warnAt.sort()
      }
      if ok { result.append(budget) }
    }
    return result
  }

  func period(_ node: Node, path: String) -> BudgetConfig.Period? {
    guard let text = string(node, path: path) else { return nil }
    switch text {
    case "hour": return .hour
    case "day": return .day
    case "week": return .week
    case "month": return .month
    default: break
    }
    guard let d = parseDuration(text) else {
      fail(
        path, at: node,
        "unknown period\(Self.shown(text, of: node)); expected hour, day, week, month "
          + "(calendar, UTC) or a rolling duration like 24h")
      return nil
    }
    guard Self.budgetRollingPeriod.contains(d) else {
      fail(path, at: node, "\(formatDuration(d)) is out of range; allowed: 1m...9600h")
      return nil
    }
    return .rolling(d)
  }

  /// `80%` or a fraction like `0.8`; must be in (0, 100%].
  func percentage(_ node: Node, path: String) -> Double? {
    guard let text = string(node, path: path) else { return nil }
    let value: Double?
    if text.hasSuffix("%") {
      value = Double(text.dropLast()).map { $0 / 100 }
    } else {
      value = Double(text)
      if let v = value, v > 1 {
        fail(
          path, at: node,
          "\(text) is above 1; write a percentage like `\(text)%` or a fraction like 0.8")
        return nil
      }
    }
    guard let v = value, v.isFinite else {
      fail(path, at: node, "expected a percentage like 80%\(Self.got(text, of: node))")
      return nil
    }
    guard v > 0, v <= 1 else {
      fail(path, at: node, "must be above 0% and at most 100%\(Self.got(text, of: node))")
      return nil
    }
    return v
  }

  /// A provider's `account:`: `{poll_interval: 60s}`, `true` or `false`. On by
  /// default for OpenRouter; other types do not support it.
  func accountPolling(_ e: Entries, type: ProviderType?) -> AccountPolling? {
    guard let n = e.value("account") else {
      return type == .openrouter ? AccountPolling() : nil
    }
    guard let type else { return nil }
    guard type == .openrouter else {
      fail(
        e.path("account"), at: e.keyNode("account"),
        "account polling is supported only by providers of type openrouter (this one is \(type.rawValue))"
      )
      return nil
    }
    if case .scalar = n {
      guard let on = bool(n, path: e.path("account")) else { return nil }
      return on ? AccountPolling() : nil
    }
    guard
      let a = entries(n, path: e.path("account"), known: ["poll_interval"], what: "account polling")
    else { return nil }
    var result = AccountPolling()
    if let p = a.value("poll_interval"),
      let d = duration(p, path: a.path("poll_interval"), range: Self.accountPollInterval)
    {
      result.pollInterval = d
    }
    return result
  }
}
