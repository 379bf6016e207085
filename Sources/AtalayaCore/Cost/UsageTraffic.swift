/// The application's own traffic reported through POST /api/v1/usage, kept
/// apart from the probes: rolling windows and result counters per provider and
/// model, capped at ``CostLedger/maxSeries`` series.
public struct UsageTraffic: Sendable {
  public struct Series: Sendable {
    public var window: RollingWindow
    public var events: ResultCounters
  }

  public private(set) var series: [ModelKey: Series] = [:]
  public private(set) var window: Duration

  public init(window: Duration) { self.window = window }

  /// Takes a new window length (windows of another length start afresh).
  public mutating func apply(window: Duration) {
    self.window = window
    for k in series.keys { series[k]!.window = series[k]!.window.resized(length: window) }
  }

  /// Whether `key` is known or there is room for a new series.
  public func admits(_ key: ModelKey) -> Bool {
    series[key] != nil || series.count < CostLedger.maxSeries
  }

  /// Records one event; false when it would exceed the series cap.
  @discardableResult
  public mutating func record(_ e: UsageEvent) -> Bool {
    let key = ModelKey(provider: e.provider, model: e.model)
    guard admits(key) else { return false }
    var s = series[key] ?? Series(window: RollingWindow(length: window), events: ResultCounters())
    s.window.record(result: e.result, latency: e.latency, ttft: nil, at: e.at)
    s.events.increment(e.result)
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
