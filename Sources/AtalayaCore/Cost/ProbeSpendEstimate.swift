/// What the configured probes are expected to cost per hour, check by check:
/// probes per hour × (prompt tokens × input price + max_tokens × output price),
/// with configured prices only (OpenRouter prices are fetched at start, so an
/// OpenRouter model without a configured price is listed as not estimated).
/// Ollama models and models checks are free.
public struct ProbeSpendEstimate: Sendable {
  /// One check's share.
  public struct Line: Sendable {
    public var provider: String
    public var model: String
    public var probesPerHour: Double
    /// USD per hour; nil when the price is not known.
    public var usdPerHour: Double?
    /// Why there is no number, when there is none.
    public var note: String?
    /// For a reasoning model: the effort and token cap the estimate assumes (hidden
    /// reasoning tokens are billed as output, up to the cap).
    public var reasoning: String?
  }

  public var lines: [Line]
  public var totalPerHour: Double
  public var limit: Double

  public init(config: AtalayaConfig) {
    let book = PriceBook(configured: config.cost.pricing)
    limit = config.cost.probeBudgetPerHour
    lines = config.allChecks.map { p, c in
      let perHour = c.interval.seconds > 0 ? 3600 / c.interval.seconds : 0
      var line = Line(
        provider: p.name, model: c.model, probesPerHour: perHour, usdPerHour: nil, note: nil)
      guard c.kind == .chat else {
        line.usdPerHour = 0
        return line
      }
      let input = ProbePrompt.estimatedInputTokens
      if let effort = c.reasoningEffort {
        line.reasoning = "reasoning effort \(effort), \(c.maxTokens) tokens"
      } else if ReasoningProbe.defaults(type: p.type, model: c.model) != nil {
        line.reasoning = "reasoning model, \(c.maxTokens) tokens"
      }
      switch book.lookup(provider: p.name, type: p.type, model: c.model) {
      case .free: line.usdPerHour = 0
      case .priced(let price):
        line.usdPerHour = perHour * price.cost(inputTokens: input, outputTokens: c.maxTokens)
      case .missing:
        line.note =
          p.type == .openrouter
          ? "price fetched from OpenRouter at start; not in this estimate"
          : "no price configured; tokens are counted, cost is not"
      }
      return line
    }
    totalPerHour = lines.reduce(0) { $0 + ($1.usdPerHour ?? 0) }
  }

  /// True when the estimate is above `probe_budget_per_hour`.
  public var exceedsLimit: Bool { totalPerHour > limit + 1e-12 }

  /// `$0.0123`: dollars with 4 decimals (6 below a cent), no Foundation.
  public static func usd(_ x: Double) -> String {
    let digits = abs(x) < 0.01 && x != 0 ? 6 : 4
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let n = (x * scale).rounded()
    guard n.isFinite, abs(n) < 1e17 else { return "$\(x)" }
    let v = Int(n)
    let whole = abs(v) / Int(scale)
    var frac = String(abs(v) % Int(scale))
    frac = String(repeating: "0", count: digits - frac.count) + frac
    return (v < 0 ? "-$" : "$") + "\(whole).\(frac)"
  }

  /// The explanation of a refusal: each priced check's share, the total and the limit.
  public var refusal: String {
    let parts = lines.filter { ($0.usdPerHour ?? 0) > 0 }
      .sorted { ($0.usdPerHour ?? 0) > ($1.usdPerHour ?? 0) }
      .map {
        "\($0.provider)/\($0.model) \(Self.usd($0.usdPerHour ?? 0))/h "
          + "(\(ConfigSummary.decimal($0.probesPerHour)) probes/h)"
      }
    return "estimated probe spend \(Self.usd(totalPerHour))/hour exceeds probe_budget_per_hour "
      + "\(Self.usd(limit)): " + parts.joined(separator: ", ")
      + "; lengthen intervals, lower max_tokens, use `kind: models` checks, or raise the limit"
  }

  /// The lines `atalaya check` prints.
  public func render() -> String {
    var out =
      "Estimated probe spend: \(Self.usd(totalPerHour))/hour (limit \(Self.usd(limit))/hour)\n"
    for l in lines where l.usdPerHour.map({ $0 > 0 }) ?? true {
      out += "  \(l.provider)/\(l.model): "
      let reasoning = l.reasoning.map { "; \($0)" } ?? ""
      if let usd = l.usdPerHour {
        out +=
          "\(Self.usd(usd))/hour (\(ConfigSummary.decimal(l.probesPerHour)) probes/hour\(reasoning))\n"
      } else {
        out += "not estimated: \(l.note ?? "unknown price")\(reasoning)\n"
      }
    }
    return out
  }
}

extension ConfigSummary {
  /// The probe spend estimate (printed by `atalaya check`).
  public var probeSpend: ProbeSpendEstimate { ProbeSpendEstimate(config: config) }
}
