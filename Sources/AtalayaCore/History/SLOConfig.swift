/// One `slos:` entry: an availability objective over `period` for the matching checks.
public struct SLOConfig: Sendable, Equatable {
  /// `[a-z0-9_-]+`, unique; the `slo` label.
  public var name: String
  /// The objective, e.g. 0.995.
  public var target: Double
  /// The period the objective and its error budget cover (1d...90d).
  public var period: Duration
  /// Providers whose checks count; empty means all.
  public var providers: [String]
  /// Models whose checks count; empty means all of the providers' checks.
  public var models: [String]

  public init(
    name: String, target: Double, period: Duration = .seconds(30 * 86_400),
    providers: [String] = [], models: [String] = []
  ) {
    self.name = name
    self.target = target
    self.period = period
    self.providers = providers
    self.models = models
  }

  /// Whether `check` of `provider` counts towards this SLO (models checks never do).
  public func covers(provider: String, check: CheckConfig) -> Bool {
    check.kind == .chat && (providers.isEmpty || providers.contains(provider))
      && (models.isEmpty || models.contains(check.model))
  }

  /// The burn-rate windows, as the Google SRE workbook's multiwindow alerts pair them.
  public static let windows: [SLOWindow] = SLOWindow.allCases
}

/// A burn-rate window; the raw value is the `window` label.
public enum SLOWindow: String, CaseIterable, Sendable {
  case m5 = "5m"
  case m30 = "30m"
  case h1 = "1h"
  case h6 = "6h"
  case d1 = "1d"
  case d3 = "3d"

  public var duration: Duration {
    switch self {
    case .m5: .seconds(300)
    case .m30: .seconds(1800)
    case .h1: .seconds(3600)
    case .h6: .seconds(6 * 3600)
    case .d1: .seconds(86_400)
    case .d3: .seconds(3 * 86_400)
    }
  }

  /// The alert signal of this window's burn rate.
  public var signal: AlertSignal {
    switch self {
    case .m5: .sloBurnRate5m
    case .m30: .sloBurnRate30m
    case .h1: .sloBurnRate1h
    case .h6: .sloBurnRate6h
    case .d1: .sloBurnRate1d
    case .d3: .sloBurnRate3d
    }
  }
}

/// `incidents:`.
public struct IncidentConfig: Sendable, Equatable {
  /// How long a provider must be healthy again before its incident resolves.
  public var closeAfter: Duration

  public init(closeAfter: Duration = .seconds(120)) { self.closeAfter = closeAfter }
}

/// One SLO's state at one instant: burn rates per window and the error budget left.
public struct SLOStatus: Sendable, Equatable {
  public var config: SLOConfig
  /// Error ratio over the window divided by the allowed error ratio (1 − target); nil
  /// without counted probes in the window.
  public var burnRates: [SLOWindow: Double]
  /// 1 − (error ratio over the period) / (1 − target): 1 untouched, 0 spent, negative
  /// overspent; nil without data.
  public var errorBudgetRemaining: Double?
  /// The success ratio over the period, nil without data.
  public var attainment: Double?

  /// Computes the status from per-window totals (counted, succeeded) of the covered checks.
  public init(
    config: SLOConfig, totals: (Duration) -> (counted: UInt64, succeeded: UInt64)
  ) {
    self.config = config
    // Rounded so 1 − 0.99 is 0.01, not 0.010000000000000009.
    let allowed = max(((1 - config.target) * 1e12).rounded() / 1e12, 1e-9)
    func errorRatio(_ t: (counted: UInt64, succeeded: UInt64)) -> Double? {
      t.counted > 0 ? Double(t.counted - min(t.succeeded, t.counted)) / Double(t.counted) : nil
    }
    var rates: [SLOWindow: Double] = [:]
    for w in SLOWindow.allCases {
      if let r = errorRatio(totals(w.duration)) { rates[w] = r / allowed }
    }
    burnRates = rates
    let period = totals(config.period)
    errorBudgetRemaining = errorRatio(period).map { 1 - $0 / allowed }
    attainment = period.counted > 0 ? Double(period.succeeded) / Double(period.counted) : nil
  }
}
