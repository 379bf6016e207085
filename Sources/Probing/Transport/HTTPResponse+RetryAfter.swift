import AtalayaCore

extension HTTPResponse {
  /// The server's `retry-after` (seconds or an HTTP-date made relative to `now`)
  /// or `retry-after-ms`, in seconds; nil when absent or unreadable.
  public func retryAfter(now: Timestamp) -> Double? {
    RateLimitHeaders.retryAfter(self, now: now)
  }
}
