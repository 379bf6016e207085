/// Prices, budgets and the probe spend limit (`pricing:`, `budgets:`,
/// `probe_budget_per_hour:` in the config).
public struct CostConfig: Sendable, Equatable {
  /// Prices per model, keyed `provider/model` or just `model` (see the README).
  public var pricing: [String: ModelPrice]
  public var budgets: [BudgetConfig]
  /// A config whose estimated probe spend per hour exceeds this is refused.
  public var probeBudgetPerHour: Double
  /// POST /api/v1/usage settings (`usage_api:`).
  public var usageAPI: UsageAPIConfig

  public init(
    pricing: [String: ModelPrice] = [:], budgets: [BudgetConfig] = [],
    probeBudgetPerHour: Double = 0.5, usageAPI: UsageAPIConfig = UsageAPIConfig()
  ) {
    self.pricing = pricing
    self.budgets = budgets
    self.probeBudgetPerHour = probeBudgetPerHour
    self.usageAPI = usageAPI
  }
}

/// USD per million tokens.
public struct ModelPrice: Sendable, Equatable, Codable {
  public var inputPerMTok: Double
  public var outputPerMTok: Double

  public init(inputPerMTok: Double, outputPerMTok: Double) {
    self.inputPerMTok = inputPerMTok
    self.outputPerMTok = outputPerMTok
  }
}

/// A spending limit over a period.
public struct BudgetConfig: Sendable, Equatable {
  public enum Period: Sendable, Equatable {
    /// Calendar periods in UTC.
    case hour, day, week, month
    /// A rolling window, e.g. 24h.
    case rolling(Duration)
  }

  public var name: String
  public var limitUSD: Double
  public var period: Period
  /// Provider names; empty means all.
  public var providers: [String]
  /// Fractions (0.5 for 50%) at which a warning alert is raised.
  public var warnAt: [Double]

  public init(
    name: String, limitUSD: Double, period: Period, providers: [String] = [], warnAt: [Double] = []
  ) {
    self.name = name
    self.limitUSD = limitUSD
    self.period = period
    self.providers = providers
    self.warnAt = warnAt
  }
}

/// Polling of a provider's own account API (OpenRouter GET /key).
public struct AccountPolling: Sendable, Equatable {
  public var pollInterval: Duration

  public init(pollInterval: Duration = .seconds(60)) { self.pollInterval = pollInterval }
}

/// The usage API (POST /api/v1/usage) settings (`usage_api:` in the config).
public struct UsageAPIConfig: Sendable, Equatable {
  /// When set, requests must carry `Authorization: Bearer <token>`.
  public var bearerToken: Secret?
  /// Largest request body accepted (413 above).
  public var maxBodyBytes: Int

  public init(bearerToken: Secret? = nil, maxBodyBytes: Int = 1 << 20) {
    self.bearerToken = bearerToken
    self.maxBodyBytes = maxBodyBytes
  }
}
