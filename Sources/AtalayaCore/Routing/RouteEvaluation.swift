/// Why a candidate is not usable; the raw values are the API's `reason`.
public enum SkipReason: String, Sendable, Equatable, CaseIterable {
  case circuitOpen = "circuit_open"
  case providerDown = "provider_down"
  case quotaExhausted = "quota_exhausted"
  case rateLimited = "rate_limited"
  case budgetExhausted = "budget_exhausted"
  case modelUnavailable = "model_unavailable"
  case lowSuccess = "low_success"
  case slow
  case silenced

  /// Whether the reason is a failure (which `disable_for` keeps skipped), not a limit.
  public var isFailure: Bool {
    switch self {
    case .rateLimited, .budgetExhausted, .silenced: false
    default: true
    }
  }
}

/// What the evaluation knows about one candidate at one instant.
public struct CandidateInputs: Sendable {
  /// The probed check, when the candidate is one.
  public var check: CheckView?
  public var providerStatus: ProviderStatus?
  /// The application's reported traffic over the window.
  public var usage: WindowStats?
  /// A budget covering the provider has nothing left.
  public var budgetExhausted: Bool
  /// An active silence matches the candidate's provider and model.
  public var silenced: Bool
  /// Seconds until a declared request limit frees a slot, when it is reached.
  public var declaredLimitRetry: Double?

  public init(
    check: CheckView? = nil, providerStatus: ProviderStatus? = nil, usage: WindowStats? = nil,
    budgetExhausted: Bool = false, silenced: Bool = false, declaredLimitRetry: Double? = nil
  ) {
    self.check = check
    self.providerStatus = providerStatus
    self.usage = usage
    self.budgetExhausted = budgetExhausted
    self.silenced = silenced
    self.declaredLimitRetry = declaredLimitRetry
  }
}

/// One candidate as the routes API shows it.
public struct CandidateView: Sendable, Equatable {
  public var provider: String
  public var model: String
  public var usable: Bool
  public var reason: SkipReason?
  public var retryAfterSeconds: Double?
  /// Probes and reported requests pooled (see ``RouteEvaluation``).
  public var successRatio: Double?
  public var latencyP95: Double?
  /// The provider's status, when it is a configured provider.
  public var status: ProviderStatus?
}

/// One route's answer.
public struct RouteView: Sendable, Equatable {
  public var route: String
  public var choice: CandidateView?
  public var candidates: [CandidateView]
  public var at: Timestamp

  public var usableCount: Int { candidates.filter(\.usable).count }
}

/// Decides which candidates of a route are usable and which one to use. Pure.
///
/// Health pools both sources: the success ratio is (probe successes + reported successes)
/// / (probe counted + reported counted) over the window, so each probe and each real
/// request weighs one; the p95 is the larger of the probe window's and the traffic's.
/// A candidate with no data is usable. The first reason that applies, in this order,
/// skips a candidate: circuit_open (quota_exhausted when the circuit opened for a spent
/// quota), provider_down, quota_exhausted (the last result), rate_limited (a Retry-After
/// hold, or a declared limit reached), budget_exhausted, model_unavailable (the last result,
/// or missing from an `expect` list), low_success, slow, silenced.
public enum RouteEvaluation {
  public static func candidate(
    _ c: RouteCandidate, _ inputs: CandidateInputs, route: RouteConfig, listed: Bool?,
    at now: Timestamp
  ) -> CandidateView {
    var view = CandidateView(
      provider: c.provider, model: c.model, usable: true, reason: nil, retryAfterSeconds: nil,
      successRatio: nil, latencyP95: nil, status: inputs.providerStatus)
    var counted = 0
    var succeeded = 0
    var p95: Double?
    if let stats = inputs.check?.stats {
      counted += stats.countedProbes
      succeeded += stats.successes
      p95 = stats.p95
    }
    if let usage = inputs.usage {
      counted += usage.countedProbes
      succeeded += usage.successes
      if let u = usage.p95 { p95 = max(p95 ?? 0, u) }
    }
    view.successRatio = counted > 0 ? Double(succeeded) / Double(counted) : nil
    view.latencyP95 = p95

    func retry(_ t: Timestamp?) -> Double? { t.map { max(0, ($0 - now).seconds) } }
    let breaker = inputs.check?.health.breaker
    let last = inputs.check?.health.lastOutcome?.result
    var reason: SkipReason?
    var retryAfter: Double?
    if let check = inputs.check, check.circuit != .closed {
      reason = breaker?.reason == .quotaExhausted ? .quotaExhausted : .circuitOpen
      retryAfter = retry(breaker?.nextProbeAt(now: now))
    } else if inputs.providerStatus == .down {
      reason = .providerDown
    } else if last == .quotaExhausted {
      reason = .quotaExhausted
      retryAfter = retry(breaker?.nextProbeAt(now: now))
    } else if let hold = breaker?.holdUntil, hold > now {
      reason = .rateLimited
      retryAfter = retry(hold)
    } else if let seconds = inputs.declaredLimitRetry {
      reason = .rateLimited
      retryAfter = seconds
    } else if inputs.budgetExhausted {
      reason = .budgetExhausted
    } else if last == .modelUnavailable || listed == false {
      reason = .modelUnavailable
    } else if let ratio = view.successRatio, ratio < route.skipBelow {
      reason = .lowSuccess
    } else if let limit = route.maxLatencyP95, let p95, p95 > limit.seconds {
      reason = .slow
    } else if inputs.silenced {
      reason = .silenced
    }
    view.reason = reason
    view.usable = reason == nil
    view.retryAfterSeconds = retryAfter
    return view
  }

  /// The choice among evaluated candidates (config order kept in `candidates`).
  public static func choose(_ candidates: [CandidateView], order: RouteConfig.Order)
    -> CandidateView?
  {
    let usable = candidates.filter(\.usable)
    switch order {
    case .priority:
      return usable.first
    case .health:
      return usable.enumerated().min { a, b in
        let ra = a.element.successRatio ?? 1
        let rb = b.element.successRatio ?? 1
        if ra != rb { return ra > rb }
        let la = a.element.latencyP95 ?? .infinity
        let lb = b.element.latencyP95 ?? .infinity
        if la != lb { return la < lb }
        return a.offset < b.offset
      }?.element
    }
  }
}

/// The routes' memory: candidates kept skipped by `disable_for`, the declared request
/// limits' logs and each route's last choice (for `route_choice` changes).
public struct RouteBook: Sendable {
  public private(set) var routes: [RouteConfig]
  /// `route/provider/model` → (until, reason).
  private var disabled: [String: (until: Timestamp, reason: SkipReason)] = [:]
  public private(set) var requests = RequestLog()
  public private(set) var lastChoice: [String: CandidateView?] = [:]
  /// Declared limits per provider (`provider`) and per candidate (`provider/model`).
  private var providerLimits: [String: RequestRateLimit] = [:]

  public init(config: AtalayaConfig) {
    routes = []
    apply(config)
  }

  public mutating func apply(_ config: AtalayaConfig) {
    routes = config.routes
    providerLimits = [:]
    for p in config.providers { if let l = p.rateLimit { providerLimits[p.name] = l } }
    var caps: [String: Int] = providerLimits.mapValues(\.requests)
    for r in routes {
      for c in r.candidates {
        if let l = c.rateLimit {
          caps[Self.key(c), default: 0] = max(caps[Self.key(c)] ?? 0, l.requests)
        }
      }
    }
    requests.configure(caps)
    let names = Set(routes.map(\.name))
    disabled = disabled.filter { names.contains(String($0.key.prefix { $0 != "/" })) }
    lastChoice = lastChoice.filter { names.contains($0.key) }
  }

  static func key(_ c: RouteCandidate) -> String { "\(c.provider)/\(c.model)" }

  /// Notes one request the application reported.
  public mutating func record(provider: String, model: String, at t: Timestamp) {
    requests.record(provider, at: t)
    requests.record("\(provider)/\(model)", at: t)
  }

  /// Seconds until a declared limit of `c` frees a slot, when one is reached.
  public func declaredLimitRetry(_ c: RouteCandidate, at now: Timestamp) -> Double? {
    var worst: Double?
    if let l = c.rateLimit, let s = requests.exhausted(Self.key(c), limit: l, at: now) { worst = s }
    if let l = providerLimits[c.provider], let s = requests.exhausted(c.provider, limit: l, at: now)
    {
      worst = max(worst ?? 0, s)
    }
    return worst
  }

  /// Evaluates `route` with `inputs` per candidate; keeps `disable_for` skips; returns the
  /// view and whether the choice changed since the last evaluation (with the old one).
  public mutating func evaluate(
    _ route: RouteConfig, inputs: (RouteCandidate) -> (CandidateInputs, Bool?), at now: Timestamp
  ) -> (view: RouteView, changedFrom: CandidateView??) {
    var views: [CandidateView] = []
    for c in route.candidates {
      let (i, listed) = inputs(c)
      var v = RouteEvaluation.candidate(c, i, route: route, listed: listed, at: now)
      let key = "\(route.name)/\(Self.key(c))"
      if let reason = v.reason, reason.isFailure, route.disableFor > .zero {
        let until = now + route.disableFor
        if let held = disabled[key], held.until > until {
        } else {
          disabled[key] = (until, reason)
        }
      } else if v.usable, let held = disabled[key] {
        if held.until > now {
          v.usable = false
          v.reason = held.reason
          v.retryAfterSeconds = (held.until - now).seconds
        } else {
          disabled[key] = nil
        }
      }
      views.append(v)
    }
    let choice = RouteEvaluation.choose(views, order: route.order)
    let view = RouteView(route: route.name, choice: choice, candidates: views, at: now)
    let previous = lastChoice[route.name]
    lastChoice[route.name] = choice
    let key: (CandidateView?) -> String? = { $0.map { "\($0.provider)/\($0.model)" } }
    if let previous, key(previous) != key(choice) { return (view, .some(previous)) }
    return (view, nil)
  }
}
