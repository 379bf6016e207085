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
  public static let port: ClosedRange<Int> = 0...65535
  public static let nameLength = 64
}
