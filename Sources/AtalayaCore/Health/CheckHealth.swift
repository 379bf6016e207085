/// Everything the agent keeps per check: the rolling window, the circuit breaker, the last
/// outcome and cumulative counters since start (restored from a snapshot across restarts).
///
/// Size per check (60-bucket window; measured with malloc stats, 600 s window): ~3.5 KB
/// fixed for the ring, +1.4 KB once a ttft is recorded, + ~50–64 bytes per non-empty latency
/// or ttft sketch, + ~0.6 KB for breaker, counters, histogram and the last outcome. That is
/// ≈ 5.5 KB at a 30 s interval (1.1 MB for 200 checks) and ≈ 12.6 KB at a 5 s interval with
/// streaming (2.5 MB for 200 checks, the worst realistic case).
public struct CheckHealth: Sendable, Codable, Equatable {
  /// Recent results, for ratios and quantiles.
  public var window: RollingWindow
  /// The check's circuit breaker.
  public var breaker: CircuitBreaker
  /// The most recent outcome (by start time).
  public var lastOutcome: ProbeOutcome?
  /// When the most recent probe started.
  public var lastProbeAt: Timestamp?
  /// When the most recent successful probe started.
  public var lastSuccessAt: Timestamp?
  /// Probes per result since start.
  public var probes: ResultCounters
  /// Input tokens reported by the provider, since start.
  public var inputTokens: UInt64
  /// Output tokens reported by the provider, since start.
  public var outputTokens: UInt64
  /// Cost in USD reported by the provider (OpenRouter), since start.
  public var costUSD: Double
  /// Latency of successful probes since start (same population as the window quantiles).
  public var durations: DurationHistogram

  /// Fresh state: empty window, closed breaker, zero counters.
  public init(
    windowLength: Duration, buckets: Int = 60,
    breaker: CircuitBreakerConfig = CircuitBreakerConfig()
  ) {
    window = RollingWindow(length: windowLength, buckets: buckets)
    self.breaker = CircuitBreaker(config: breaker)
    lastOutcome = nil
    lastProbeAt = nil
    lastSuccessAt = nil
    probes = ResultCounters()
    inputTokens = 0
    outputTokens = 0
    costUSD = 0
    durations = DurationHistogram()
  }

  /// Zeroes the exported counters (probes, tokens, cost, the duration histogram) and
  /// keeps the window, the breaker and the last outcome.
  public mutating func resetCounters() {
    probes = ResultCounters()
    inputTokens = 0
    outputTokens = 0
    costUSD = 0
    durations = DurationHistogram()
  }

  /// Records one probe outcome at its start time and feeds the breaker (see
  /// ``CircuitBreaker``): a class in `excluded_classes` (by default `rate_limited`, unless
  /// `countRateLimited`) moves nothing; every other non-success is a failure. Returns the
  /// breaker transition.
  @discardableResult
  public mutating func record(
    _ outcome: ProbeOutcome, countRateLimited: Bool, breaker config: CircuitBreakerConfig
  ) -> CircuitBreaker.Transition? {
    let time = outcome.startedAt
    let success = outcome.result.isSuccess
    window.record(result: outcome.result, latency: outcome.latency, ttft: outcome.ttft, at: time)
    probes.increment(outcome.result)
    if let usage = outcome.usage {
      inputTokens =
        inputTokens.addingReportingOverflow(UInt64(max(0, usage.inputTokens))).partialValue
      outputTokens =
        outputTokens.addingReportingOverflow(UInt64(max(0, usage.outputTokens))).partialValue
      if let cost = usage.costUSD, cost.isFinite, cost >= 0 { costUSD += cost }
    }
    if success, let latency = outcome.latency { durations.observe(latency) }
    if lastProbeAt.map({ time >= $0 }) ?? true {
      lastProbeAt = time
      lastOutcome = outcome
    }
    if success, lastSuccessAt.map({ time >= $0 }) ?? true { lastSuccessAt = time }
    var config = config
    if countRateLimited { config.excludedClasses.remove(.rateLimited) }
    breaker.config = config
    var windowP95: (p95: Double, successes: Int)?
    if let trip = config.latency, trip.consecutive == nil {
      let stats = window.stats(at: time, countRateLimited: countRateLimited)
      if let p95 = stats.p95 { windowP95 = (p95, stats.successes) }
    }
    return breaker.record(
      outcome.result, latency: outcome.latency, windowP95: windowP95, resumeAt: outcome.resumeAt,
      at: time)
  }

  /// Window aggregates at `now`.
  public func stats(at now: Timestamp, countRateLimited: Bool = false) -> WindowStats {
    window.stats(at: now, countRateLimited: countRateLimited)
  }

  /// The inputs of the status rule for this check at `now`.
  public func statusInput(at now: Timestamp, slow: Duration, countRateLimited: Bool = false)
    -> CheckStatusInput
  {
    let stats = stats(at: now, countRateLimited: countRateLimited)
    return CheckStatusInput(
      circuit: breaker.state(at: now), successRatio: stats.successRatio, p95: stats.p95, slow: slow)
  }

  /// The per-check status rule (see ``CheckStatusInput/isHealthy(policy:)``).
  public func isHealthy(
    at now: Timestamp, slow: Duration, countRateLimited: Bool = false,
    policy: HealthPolicy = HealthPolicy()
  ) -> Bool {
    statusInput(at: now, slow: slow, countRateLimited: countRateLimited).isHealthy(policy: policy)
  }

  /// Adapts restored or reloaded state to the current config: a different window length
  /// (or bucket count) starts a fresh window; breaker state and counters are kept.
  public mutating func reconfigure(
    windowLength: Duration, buckets: Int = 60, breaker config: CircuitBreakerConfig
  ) {
    window = window.resized(length: windowLength, buckets: buckets)
    breaker.config = config
  }
}
