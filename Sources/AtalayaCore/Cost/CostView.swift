/// A read model of cost at one instant: what /metrics, /api/v1/status and the
/// alert signals show. Pure values, no locks.
public struct CostView: Sendable {
  /// One provider's counted spend rate.
  public struct ProviderCost: Sendable, Equatable {
    public var provider: String
    /// `account` or `probe+usage`.
    public var source: String
    public var costPerHour: Double
  }

  /// One budget in its current period.
  public struct Budget: Sendable, Equatable {
    public var config: BudgetConfig
    public var spent: Double
    public var remaining: Double { config.limitUSD - spent }
    public var usedRatio: Double { config.limitUSD > 0 ? spent / config.limitUSD : 0 }
    /// Spend over all the budget's providers in the last hour.
    public var burnPerHour: Double
    /// Spend at the end of the calendar period at the current burn rate; for a
    /// rolling period, the spend of one whole period at the current burn rate.
    public var projected: Double
    /// Seconds until the limit at the current burn rate; 0 once exhausted, nil
    /// when nothing is being spent (the metric is then omitted).
    public var exhaustionSeconds: Double?
    /// When the current calendar period ends (nil for rolling periods).
    public var periodEnd: Timestamp?
    /// The `warn_at` fractions reached in the current period, ascending.
    public var crossedWarnAt: [Double]

    public var exhaustionHours: Double? { exhaustionSeconds.map { $0 / 3600 } }
  }

  public var at: Timestamp
  public var providers: [ProviderCost]
  /// Sum of every provider's cost per hour (the `provider="total"` signal).
  public var totalPerHour: Double
  public var totals: [(key: SpendKey, usd: Double)]
  /// Models with no known price, and the tokens counted for them.
  public var unpriced: [(key: ModelKey, tokens: TokenCount)]
  public var accounts: [(provider: String, info: AccountInfo, at: Timestamp)]
  public var budgets: [Budget]
}

extension CostLedger {
  /// The view at `now`: every configured provider and every provider with spend.
  public func view(at now: Timestamp) -> CostView {
    let names = Set(providers.keys).union(hourly.keys).sorted()
    let perProvider = names.map {
      CostView.ProviderCost(
        provider: $0, source: sourceLabel(for: $0), costPerHour: costPerHour($0, at: now))
    }
    let budgetViews = budgets.map { b -> CostView.Budget in
      let spent = spent(b, at: now)
      let burn = perProvider.filter { b.providers.isEmpty || b.providers.contains($0.provider) }
        .reduce(0) { $0 + $1.costPerHour }
      let perSecond = burn / 3600
      var periodEnd: Timestamp?
      let projected: Double
      if case .rolling(let length) = b.period {
        projected = perSecond * length.seconds
      } else {
        let end = b.period.end(containing: now)
        periodEnd = end
        projected = spent + perSecond * max(0, (end - now).seconds)
      }
      let remaining = b.limitUSD - spent
      let exhaustion: Double? = remaining <= 0 ? 0 : perSecond > 0 ? remaining / perSecond : nil
      let ratio = b.limitUSD > 0 ? spent / b.limitUSD : 0
      return CostView.Budget(
        config: b, spent: spent, burnPerHour: burn, projected: projected,
        exhaustionSeconds: exhaustion, periodEnd: periodEnd,
        crossedWarnAt: b.warnAt.filter { ratio >= $0 }.sorted())
    }
    return CostView(
      at: now, providers: perProvider, totalPerHour: perProvider.reduce(0) { $0 + $1.costPerHour },
      totals: totals.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
      unpriced: unpriced.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
      accounts: accounts.sorted { $0.key < $1.key }.compactMap { p, s in
        s.info.map { (p, $0, s.at) }
      },
      budgets: budgetViews)
  }
}

/// One number for the alert engine: a signal name, its labels and value.
public struct CostSignal: Sendable, Equatable {
  /// `cost_per_hour`, `budget_remaining_usd`, `budget_used_ratio` or `budget_exhaustion_hours`.
  public var name: String
  /// `provider` (cost_per_hour; `total` for the sum) or `budget`.
  public var labels: [String: String]
  public var value: Double

  public init(name: String, labels: [String: String], value: Double) {
    self.name = name
    self.labels = labels
    self.value = value
  }
}

extension CostView {
  /// The alert signals: cost_per_hour per provider and `total`; per budget
  /// budget_remaining_usd, budget_used_ratio and budget_exhaustion_hours (left
  /// out while nothing is being spent).
  public var signals: [CostSignal] {
    var out = providers.map {
      CostSignal(name: "cost_per_hour", labels: ["provider": $0.provider], value: $0.costPerHour)
    }
    out.append(
      CostSignal(name: "cost_per_hour", labels: ["provider": "total"], value: totalPerHour))
    for b in budgets {
      let labels = ["budget": b.config.name]
      out.append(CostSignal(name: "budget_remaining_usd", labels: labels, value: b.remaining))
      out.append(CostSignal(name: "budget_used_ratio", labels: labels, value: b.usedRatio))
      if let h = b.exhaustionHours {
        out.append(CostSignal(name: "budget_exhaustion_hours", labels: labels, value: h))
      }
    }
    return out
  }
}
