/// A secret value (API key, token, webhook URL). Its description never shows
/// the value: at most the first three and last four characters (`sk-…abcd`).
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
  private let value: String

  public init(_ value: String) { self.value = value }

  /// The secret itself, for the one place that must send it.
  public func reveal() -> String { value }

  /// The redacted form: `sk-…abcd` for long values, `…` for short ones.
  public var redacted: String {
    let chars = Array(value)
    guard chars.count >= 12 else { return "…" }
    return String(chars.prefix(3)) + "…" + String(chars.suffix(4))
  }

  public var description: String { redacted }
  public var debugDescription: String { "Secret(\(redacted))" }
}
