import AtalayaCore

/// The simulator's mutable state, guarded by a `Mutex` in ``ProviderSimulator``.
struct SimulatorState: Sendable {
  var providers: [String: ProviderState]

  init(providers: [SimulatedProvider], seed: UInt64) {
    var dict: [String: ProviderState] = [:]
    for p in providers {
      dict[p.name] = ProviderState(
        provider: p, rng: SplitMix64(seed: seed ^ stableHash(p.name)))
    }
    self.providers = dict
  }
}

/// One provider's counters, generator and last request.
struct ProviderState: Sendable {
  var provider: SimulatedProvider
  var rng: SplitMix64
  var requestCount = 0
  /// Requests that reached the behavior (authorized, known endpoint, valid body).
  var servedCount = 0
  var lastRequest: RecordedRequest?
  /// Tokens used, for the token rate-limit headers.
  var tokensUsed = 0
  /// USD spent, for the OpenRouter-like key endpoint.
  var creditUsed = 0.25

  /// Decides how to answer the next request, advancing counters and the generator.
  mutating func plan(now: Timestamp) -> Plan {
    servedCount += 1
    let decision: Decision
    switch provider.behavior {
    case .healthy(let latency), .slow(let latency):
      decision = .succeed(latency: latency)
    case .flaky(let errorRate, let latency):
      if rng.nextUnit() < errorRate {
        let faults: [Decision] = [.fault(.serverError), .unavailable, .fault(.rateLimited)]
        decision = faults[Int(rng.next() % 3)]
      } else {
        decision = .succeed(latency: latency)
      }
    case .periodicOutage(let every, let down):
      let cycle = every.seconds
      let position = cycle > 0 ? now.seconds - (now.seconds / cycle).rounded(.down) * cycle : 0
      decision = position < down.seconds ? .unavailable : .succeed(latency: .milliseconds(30))
    case .rateLimited(let every):
      decision =
        every > 0 && servedCount % every == 0
        ? .fault(.rateLimited) : .succeed(latency: .milliseconds(30))
    case .fault(let fault):
      decision = .fault(fault)
    }
    return Plan(decision: decision, sequence: servedCount, tokensUsed: tokensUsed, now: now)
  }
}

/// What the behavior decided for one request.
enum Decision: Sendable, Equatable {
  case succeed(latency: Duration)
  /// 503 service unavailable.
  case unavailable
  case fault(Fault)
}

/// Everything a dialect needs to build one answer.
struct Plan: Sendable {
  var decision: Decision
  /// 1-based number of this request among the provider's served requests.
  var sequence: Int
  /// Tokens used before this request.
  var tokensUsed: Int
  var now: Timestamp

  var latency: Duration {
    if case .succeed(let latency) = decision { return latency }
    return .zero
  }
}
