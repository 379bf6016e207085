import AtalayaCore

extension HTTPResponse {
  /// The server's `retry-after-ms`, or `retry-after` as seconds or an HTTP-date (made
  /// relative to `now`), in seconds; nil when absent or unreadable.
  public func retryAfter(now: Timestamp) -> Double? {
    if let ms = Self.number(header("retry-after-ms")), ms >= 0 { return ms / 1000 }
    guard let text = header("retry-after") else { return nil }
    if let seconds = Self.number(text) { return seconds >= 0 ? seconds : nil }
    return HTTPDate.parse(text).map { max(0, $0.seconds - now.seconds) }
  }

  private static func number(_ text: String?) -> Double? {
    guard let text, let value = Double(text.trimmingSpaces()), value.isFinite else { return nil }
    return value
  }
}
