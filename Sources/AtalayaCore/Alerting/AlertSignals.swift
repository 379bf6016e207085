/// Computes the health signals alert rules look at from a ``FleetView``.
///
/// Per check (labels `provider`, `model`): `error_rate`, `success_rate`, `latency_p50`,
/// `latency_p90`, `latency_p95`, `latency_p99`, `ttft_p95`, `consecutive_failures`,
/// `circuit_open`, `ratelimit_remaining_ratio`; per expected model of a models check
/// `model_listed`. Per provider (label `provider`):
/// `provider_down`, `provider_degraded`. A signal without data has no sample (an empty
/// window is neither "0% errors" nor an error), so rules on it stay quiet. Cost and budget
/// signals come from the cost tracker; the engine takes any samples.
public enum AlertSignals {
  public static func samples(from view: FleetView, at now: Timestamp) -> [SignalSample] {
    var samples: [SignalSample] = []
    for provider in view.providers {
      var anyProbed = false
      for check in provider.checks {
        let labels = ["provider": check.id.provider, "model": check.id.model]
        func add(_ signal: AlertSignal, _ value: Double?) {
          if let value {
            samples.append(SignalSample(signal: signal, labels: labels, value: value))
          }
        }
        let stats = check.stats
        add(.errorRate, stats.errorRate)
        add(.successRate, stats.successRatio)
        add(.latencyP50, stats.p50)
        add(.latencyP90, stats.p90)
        add(.latencyP95, stats.p95)
        add(.latencyP99, stats.p99)
        add(.ttftP95, stats.ttftP95)
        let probed = check.health.lastProbeAt != nil
        anyProbed = anyProbed || probed
        if probed {
          add(.consecutiveFailures, Double(check.health.breaker.consecutiveFailures))
          add(.circuitOpen, check.health.breaker.state(at: now) == .closed ? 0 : 1)
        }
        add(.ratelimitRemainingRatio, remainingRatio(check.rateLimits))
        for (model, listed) in check.listedModels {
          samples.append(
            SignalSample(
              signal: .modelListed, labels: ["provider": check.id.provider, "model": model],
              value: listed ? 1 : 0))
        }
      }
      guard anyProbed else { continue }
      let labels = ["provider": provider.name]
      samples.append(
        SignalSample(signal: .providerDown, labels: labels, value: provider.status == .down ? 1 : 0)
      )
      samples.append(
        SignalSample(
          signal: .providerDegraded, labels: labels, value: provider.status == .healthy ? 0 : 1))
    }
    return samples
  }

  /// The smallest `remaining / limit` over the resources that report both (limit > 0).
  static func remainingRatio(_ readings: [RateLimitReading]) -> Double? {
    readings.compactMap { reading -> Double? in
      guard let limit = reading.limit, let remaining = reading.remaining, limit > 0,
        limit.isFinite, remaining.isFinite
      else { return nil }
      return min(1, max(0, remaining / limit))
    }.min()
  }
}
