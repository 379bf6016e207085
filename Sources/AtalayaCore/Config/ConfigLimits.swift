/// The allowed ranges of config values, in one place.
public enum ConfigLimits {
  public static let window: ClosedRange<Duration> = .seconds(10)...(.seconds(24 * 3600))
  public static let interval: ClosedRange<Duration> = .milliseconds(100)...(.seconds(24 * 3600))
  public static let timeout: ClosedRange<Duration> = .milliseconds(50)...(.seconds(600))
  public static let slow: ClosedRange<Duration> = .milliseconds(1)...(.seconds(600))
  public static let maxTokens: ClosedRange<Int> = 1...4096
  public static let failureThreshold: ClosedRange<Int> = 1...1000
  public static let successThreshold: ClosedRange<Int> = 1...1000
  public static let resetTimeout: ClosedRange<Duration> = .milliseconds(100)...(.seconds(24 * 3600))
  /// `quota_recheck` and `auth_recheck`.
  public static let recheck: ClosedRange<Duration> = .seconds(1)...(.seconds(7 * 24 * 3600))
  public static let port: ClosedRange<Int> = 0...65535
  public static let nameLength = 64
  /// The longest model id (it becomes a label value on every series of its check).
  public static let modelLength = 256

  /// The largest config file read (bytes).
  public static let maxFileBytes = 4 << 20
  /// The most YAML nodes a config may expand to, aliases counted every time they are
  /// used: a small file of nested `*alias`es cannot take minutes and gigabytes.
  public static let maxNodes = 200_000
  /// The most entries of each list, by the name used in errors.
  public static let maxListItems: [String: Int] = [
    "providers": 500, "checks": 100, "rules": 500, "receivers": 100, "silences": 1000,
    "budgets": 100,
  ]
  /// Any other list.
  public static let maxOtherListItems = 1000
  /// The most checks over all providers.
  public static let maxChecks = 2000
}
