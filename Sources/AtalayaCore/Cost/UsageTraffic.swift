/// The application's own traffic reported through POST /api/v1/usage, kept
/// apart from the probes: rolling windows and result counters per provider and
/// model, capped at ``CostLedger/maxSeries`` series.
public struct UsageTraffic: Sendable {
  public struct Series: Sendable {
    public var window: RollingWindow
    public var events: ResultCounters
    /// The newest event's time: a series with nothing in its window can give up its slot.
    public var lastEventAt: Timestamp
  }

  public private(set) var series: [ModelKey: Series] = [:]
  public private(set) var window: Duration

  public init(window: Duration) { self.window = window }

  /// Takes a new window length (windows of another length start afresh).
  public mutating func apply(window: Duration) {
    self.window = window
    for k in series.keys { series[k]!.window = series[k]!.window.resized(length: window) }
  }

  /// Whether `key` is known or there is room for a new series: at the cap, a series
  /// with no event in the window gives up its slot, so a burst of junk names locks
  /// nobody out for longer than the window.
  public mutating func makeRoom(for key: ModelKey, at now: Timestamp) -> Bool {
    if series[key] != nil || series.count < CostLedger.maxSeries { return true }
    guard let idle = series.min(by: { $0.value.lastEventAt < $1.value.lastEventAt }),
      idle.value.lastEventAt < now - window
    else { return false }
    series[idle.key] = nil
    return true
  }

  /// Records one event; false when it would exceed the series cap.
  @discardableResult
  public mutating func record(_ e: UsageEvent, now: Timestamp? = nil) -> Bool {
    let key = ModelKey(provider: e.provider, model: e.model)
    guard makeRoom(for: key, at: now ?? e.at) else { return false }
    var s =
      series[key]
      ?? Series(window: RollingWindow(length: window), events: ResultCounters(), lastEventAt: e.at)
    s.window.record(result: e.result, latency: e.latency, ttft: nil, at: e.at)
    s.events.increment(e.result)
    s.lastEventAt = max(s.lastEventAt, e.at)
    series[key] = s
    return true
  }

  /// Window stats per series at `now`, sorted by provider and model.
  public func stats(at now: Timestamp) -> [(
    key: ModelKey, stats: WindowStats, events: ResultCounters
  )] {
    series.sorted { $0.key < $1.key }.map {
      ($0.key, $0.value.window.stats(at: now), $0.value.events)
    }
  }

  /// Alert samples for real traffic, labelled `source="usage"`: per provider and
  /// model, the window's error rate, success ratio and p95 latency (seconds).
  public func signals(at now: Timestamp) -> [TrafficSignal] {
    stats(at: now).compactMap { key, stats, _ in
      guard stats.total > 0 else { return nil }
      return TrafficSignal(
        provider: key.provider, model: key.model, requests: stats.total,
        successRatio: stats.successRatio, errorRate: stats.errorRate, p95Latency: stats.p95)
    }
  }
}

/// Traffic health of one provider and model from the usage API, for alert rules.
public struct TrafficSignal: Sendable, Equatable {
  public var provider: String
  public var model: String
  /// Always `usage`, so rules can tell traffic from probes.
  public var source: String = "usage"
  /// Events in the window.
  public var requests: Int
  public var successRatio: Double?
  public var errorRate: Double?
  public var p95Latency: Double?
}
