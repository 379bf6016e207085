/// All spend the agent knows, and the budgets it is held against. Pure: every
/// method takes the time it acts at; the agent holds one in a lock.
///
/// Sources never double count: a provider with account polling (OpenRouter)
/// counts only its `account` spend toward cost per hour and budgets; any other
/// provider counts `probe` plus `usage`. Every source still has its own
/// ``totals`` counter.
public struct CostLedger: Sendable {
  /// What the ledger needs to know about a configured provider.
  public struct ProviderInfo: Sendable, Equatable {
    public var type: ProviderType
    public var hasAccount: Bool
  }

  /// A budget's spend in its current period.
  enum BudgetSpend: Sendable, Equatable {
    /// Calendar period starting at `start` (unix seconds), with its spend.
    case calendar(start: Double, spent: Double)
    case rolling(SpendRing)
  }

  /// Last account reading of a provider (the baseline for the next increase).
  public struct AccountState: Sendable, Equatable {
    public var lastUsage: Double
    public var at: Timestamp
    public var info: AccountInfo?
  }

  /// Most distinct cost/usage series kept (provider × model): bounds memory
  /// when the usage API reports providers and models the config does not know.
  public static let maxSeries = 1000
  /// At the cap, a series with no spend recorded for this long gives its slot to a
  /// new one (its counters end; Prometheus sees the series go stale).
  public static let idleSeriesTTL: Duration = .seconds(3600)

  public private(set) var providers: [String: ProviderInfo] = [:]
  public private(set) var budgets: [BudgetConfig] = []
  public var prices = PriceBook()
  public internal(set) var totals: [SpendKey: Double] = [:]
  public internal(set) var unpriced: [ModelKey: TokenCount] = [:]
  public internal(set) var accounts: [String: AccountState] = [:]
  /// Counted spend per provider over the last hour (60 one-minute buckets).
  var hourly: [String: SpendRing] = [:]
  var budgetSpend: [String: BudgetSpend] = [:]
  var series: Set<ModelKey> = []
  /// When each series last recorded spend (series restored from a snapshot have none
  /// until they do: they are the first to give up their slot).
  var lastSeen: [ModelKey: Timestamp] = [:]

  public init(config: AtalayaConfig) { apply(config) }

  /// Takes a new configuration; budgets keep their spend when name and period are unchanged.
  public mutating func apply(_ config: AtalayaConfig) {
    providers = Dictionary(
      config.providers.map {
        ($0.name, ProviderInfo(type: $0.type, hasAccount: $0.account != nil))
      },
      uniquingKeysWith: { a, _ in a })
    prices.configured = config.cost.pricing
    prices.fetched = prices.fetched.filter { providers[$0.key]?.type == .openrouter }
    let old = budgets
    budgets = config.cost.budgets
    var kept: [String: BudgetSpend] = [:]
    for b in budgets {
      if let previous = old.first(where: { $0.name == b.name }), previous.period == b.period,
        let spend = budgetSpend[b.name]
      {
        kept[b.name] = spend
      }
    }
    budgetSpend = kept
  }

  /// Zeroes the exported counters (spend totals, unpriced tokens) after an unclean stop
  /// (see ``HealthSnapshot/withCountersReset()``); budgets, hourly spend and account
  /// baselines are kept.
  public mutating func resetCounters() {
    totals = [:]
    unpriced = [:]
  }

  /// Whether `source` spend of `provider` counts toward cost per hour and budgets.
  public func counts(_ source: SpendSource, for provider: String) -> Bool {
    let account = providers[provider]?.hasAccount ?? false
    return account ? source == .account : source != .account
  }

  /// The counted source(s) of a provider, for display: `account` or `probe+usage`.
  public func sourceLabel(for provider: String) -> String {
    providers[provider]?.hasAccount == true ? "account" : "probe+usage"
  }

  // MARK: Recording

  /// A probe's cost: OpenRouter's `usage.cost` when present, else tokens × price.
  public mutating func recordProbe(_ outcome: ProbeOutcome) {
    guard let usage = outcome.usage else { return }
    let key = ModelKey(provider: outcome.check.provider, model: outcome.check.model)
    record(
      key, source: .probe, input: usage.inputTokens, output: usage.outputTokens,
      cost: usage.costUSD, at: outcome.startedAt)
  }

  /// An application-reported event; false (nothing recorded) when it would
  /// add a series beyond ``maxSeries``.
  @discardableResult
  public mutating func recordUsage(_ event: UsageEvent, now: Timestamp? = nil) -> Bool {
    let key = ModelKey(provider: event.provider, model: event.model)
    guard makeRoom(for: key, at: now ?? event.at) else { return false }
    record(
      key, source: .usage, input: event.inputTokens, output: event.outputTokens,
      cost: event.costUSD, at: event.at)
    return true
  }

  /// Whether `key` is known or there is room for a new series.
  public func admits(_ key: ModelKey) -> Bool {
    series.contains(key) || series.count < Self.maxSeries
  }

  /// Like ``admits(_:)``, but at the cap the series idle longest gives up its slot when
  /// it has been idle for ``idleSeriesTTL``: one junk batch cannot lock out new
  /// providers and models for ever.
  public mutating func makeRoom(for key: ModelKey, at now: Timestamp) -> Bool {
    if admits(key) { return true }
    let epoch = Timestamp(seconds: 0)
    guard let idle = series.min(by: { (lastSeen[$0] ?? epoch) < (lastSeen[$1] ?? epoch) }),
      (lastSeen[idle] ?? epoch) <= now - Self.idleSeriesTTL
    else { return false }
    series.remove(idle)
    lastSeen[idle] = nil
    unpriced[idle] = nil
    totals = totals.filter { $0.key.provider != idle.provider || $0.key.model != idle.model }
    return true
  }

  mutating func record(
    _ key: ModelKey, source: SpendSource, input: Int, output: Int, cost: Double?, at: Timestamp
  ) {
    series.insert(key)
    lastSeen[key] = max(lastSeen[key] ?? at, at)
    let usd =
      cost
      ?? prices.cost(
        provider: key.provider, type: providers[key.provider]?.type, model: key.model,
        inputTokens: input, outputTokens: output)
    guard let usd, usd.isFinite, usd >= 0 else {
      var t = unpriced[key] ?? TokenCount()
      t.input = t.input.saturatingAdding(max(input, 0))
      t.output = t.output.saturatingAdding(max(output, 0))
      unpriced[key] = t
      return
    }
    spend(SpendKey(provider: key.provider, model: key.model, source: source), usd, at: at)
  }

  /// An account reading. The increase of `usage` since the previous reading is
  /// spend; a decrease is a counter reset (new key): as Prometheus' increase(),
  /// the new value counts as the increase since the reset. The first reading
  /// only sets the baseline: usage from before the agent watched is not spend it saw.
  public mutating func recordAccount(provider: String, info: AccountInfo, at: Timestamp) {
    if let previous = accounts[provider] {
      let delta = info.usage >= previous.lastUsage ? info.usage - previous.lastUsage : info.usage
      if delta > 0 {
        spend(
          SpendKey(provider: provider, model: SpendKey.accountModel, source: .account), delta,
          at: at)
      }
    }
    accounts[provider] = AccountState(lastUsage: info.usage, at: at, info: info)
  }

  /// Replaces the prices fetched from an OpenRouter provider's /models.
  public mutating func setFetchedPrices(provider: String, _ prices: [String: ModelPrice]) {
    self.prices.fetched[provider] = prices
  }

  mutating func spend(_ key: SpendKey, _ usd: Double, at: Timestamp) {
    totals[key, default: 0] += usd
    guard counts(key.source, for: key.provider) else { return }
    hourly[key.provider, default: SpendRing(span: .seconds(3600))].add(usd, at: at)
    for b in budgets where b.providers.isEmpty || b.providers.contains(key.provider) {
      budgetSpend[b.name] = Self.adding(usd, at: at, to: budgetSpend[b.name], period: b.period)
    }
  }

  static func adding(
    _ usd: Double, at: Timestamp, to spend: BudgetSpend?, period: BudgetConfig.Period
  )
    -> BudgetSpend
  {
    if case .rolling(let length) = period {
      var ring: SpendRing
      if case .rolling(let r) = spend { ring = r } else { ring = SpendRing(span: length) }
      ring.add(usd, at: at)
      return .rolling(ring)
    }
    let start = period.start(containing: at).seconds
    if case .calendar(let current, let spent)? = spend {
      if current == start { return .calendar(start: start, spent: spent + usd) }
      // Spend from an earlier period than the one counted: not this period's.
      if current > start { return .calendar(start: current, spent: spent) }
    }
    return .calendar(start: start, spent: usd)
  }

  // MARK: Reading

  /// Counted spend of `provider` over the last hour.
  public func costPerHour(_ provider: String, at now: Timestamp) -> Double {
    hourly[provider]?.sum(at: now) ?? 0
  }

  /// Spend of budget `b` in the period containing `now`.
  public func spent(_ b: BudgetConfig, at now: Timestamp) -> Double {
    switch budgetSpend[b.name] {
    case .calendar(let start, let spent):
      return start == b.period.start(containing: now).seconds ? spent : 0
    case .rolling(let ring): return ring.sum(at: now)
    case nil: return 0
    }
  }
}
