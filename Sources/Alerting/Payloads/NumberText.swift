/// Number formatting without Foundation.
public enum NumberText {
  /// `value` with exactly `decimals` digits after the point (`fixed(0.2345, 1)` is `0.2`).
  public static func fixed(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-Inf" : "+Inf") }
    let decimals = max(0, min(decimals, 9))
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9.0e18 else { return "\(value)" }
    let units = UInt64(scaled)
    let whole = units / UInt64(scale)
    let negative = value < 0 && units > 0
    var text = (negative ? "-" : "") + String(whole)
    if decimals > 0 {
      let fraction = String(units % UInt64(scale))
      text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
    return text
  }

  /// Integers without a fraction, others with up to four decimals (trailing zeros cut).
  public static func compact(_ value: Double) -> String {
    guard value.isFinite else { return fixed(value, 0) }
    if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
    var text = fixed(value, 4)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
}
