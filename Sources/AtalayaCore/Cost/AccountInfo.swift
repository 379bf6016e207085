/// What OpenRouter's `GET {base_url}/key` reports about the key's account
/// (the `data` object). Amounts are USD.
public struct AccountInfo: Sendable, Equatable {
  /// Credits used by the key so far (a counter; it restarts with a new key).
  public var usage: Double
  public var usageDaily: Double?
  public var usageWeekly: Double?
  public var usageMonthly: Double?
  /// The key's credit limit; nil when unlimited.
  public var limit: Double?
  /// What is left of ``limit``; negative when the key overspent it (OpenRouter reports
  /// that, and it is shown as such).
  public var limitRemaining: Double?
  /// When the limit resets, as reported (e.g. `monthly`), if at all.
  public var limitReset: String?
  public var isFreeTier: Bool?

  public init(
    usage: Double, usageDaily: Double? = nil, usageWeekly: Double? = nil,
    usageMonthly: Double? = nil, limit: Double? = nil, limitRemaining: Double? = nil,
    limitReset: String? = nil, isFreeTier: Bool? = nil
  ) {
    self.usage = usage
    self.usageDaily = usageDaily
    self.usageWeekly = usageWeekly
    self.usageMonthly = usageMonthly
    self.limit = limit
    self.limitRemaining = limitRemaining
    self.limitReset = limitReset
    self.isFreeTier = isFreeTier
  }

  /// Reads the `/key` document; nil when `data.usage` is not a finite non-negative number.
  public static func parse(_ json: JSONValue) -> AccountInfo? {
    guard let data = json["data"], data.isObject else { return nil }
    func amount(_ key: String, negativeAllowed: Bool = false) -> Double? {
      guard let v = data[key]?.doubleValue, v.isFinite, v < 1e12, v >= (negativeAllowed ? -1e12 : 0)
      else { return nil }
      return v
    }
    // A provider's string goes into the status API: short, printable, or not at all.
    let reset = data["limit_reset"]?.textValue.flatMap { text in
      text.utf8.count <= 64
        && text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F })
        ? text : nil
    }
    guard let usage = amount("usage") else { return nil }
    return AccountInfo(
      usage: usage, usageDaily: amount("usage_daily"), usageWeekly: amount("usage_weekly"),
      usageMonthly: amount("usage_monthly"), limit: amount("limit"),
      limitRemaining: amount("limit_remaining", negativeAllowed: true), limitReset: reset,
      isFreeTier: data["is_free_tier"]?.boolValue)
  }
}

extension AccountInfo {
  /// When the key's limit resets, for a limit that is spent (`limit_remaining` ≤ 0) and
  /// resets `daily`, `weekly` or `monthly` (UTC midnight; weeks start on Monday; months on
  /// the 1st); nil otherwise.
  public func limitResetsAt(after now: Timestamp) -> Timestamp? {
    guard let remaining = limitRemaining, remaining <= 0 else { return nil }
    let period: BudgetConfig.Period
    switch limitReset?.lowercased() {
    case "daily": period = .day
    case "weekly": period = .week
    case "monthly": period = .month
    default: return nil
    }
    return period.end(containing: now)
  }
}
