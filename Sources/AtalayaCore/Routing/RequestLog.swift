/// The times of the most recent reported requests per key, at most as many as the largest
/// declared limit needs: enough to tell whether a sliding window is full and when its
/// oldest request leaves it. Bounded: ``RequestRateLimit/maxRequests`` per key.
public struct RequestLog: Sendable, Equatable {
  /// Per key, request times oldest first (a ring kept sorted by append order).
  private var times: [String: [Timestamp]] = [:]
  private var capacity: [String: Int] = [:]

  public init() {}

  /// Keeps at most `count` times for `key` (keys without a limit keep none).
  public mutating func configure(_ limits: [String: Int]) {
    capacity = limits.mapValues { min(max($0, 1), RequestRateLimit.maxRequests) }
    times = times.filter { capacity[$0.key] != nil }
    for (k, cap) in capacity where (times[k]?.count ?? 0) > cap {
      times[k]!.removeFirst(times[k]!.count - cap)
    }
  }

  /// Notes one request for `key` at `t`.
  public mutating func record(_ key: String, at t: Timestamp) {
    guard let cap = capacity[key] else { return }
    var list = times[key] ?? []
    // Usually in order; a late report is placed where it belongs.
    if let last = list.last, t < last {
      let i = list.firstIndex { $0 > t } ?? list.count
      list.insert(t, at: i)
    } else {
      list.append(t)
    }
    if list.count > cap { list.removeFirst(list.count - cap) }
    times[key] = list
  }

  /// Whether `limit` is reached for `key` at `now`, and if so in how many seconds a slot
  /// frees (the oldest request in the window leaves it).
  public func exhausted(_ key: String, limit: RequestRateLimit, at now: Timestamp) -> Double? {
    guard let list = times[key] else { return nil }
    let since = now - limit.window
    let inWindow = list.filter { $0 > since && $0 <= now }
    guard inWindow.count >= limit.requests, let oldest = inWindow.dropLast(limit.requests - 1).last
    else { return nil }
    return max(0, (oldest + limit.window - now).seconds)
  }
}
