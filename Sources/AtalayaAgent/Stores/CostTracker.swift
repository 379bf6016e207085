import AtalayaCore
import Server
import Synchronization

/// The agent's cost state behind one lock: the ``CostLedger`` (spend, prices,
/// budgets) and the application's ``UsageTraffic``. All decisions are the
/// ledger's; this class only serialises access and formats API answers.
public final class CostTracker: Sendable {
  struct State {
    var ledger: CostLedger
    var traffic: UsageTraffic
    var usageAPI: UsageAPIConfig
    var window: Duration
  }

  let state: Locked<State>

  public init(config: AtalayaConfig) {
    state = Locked(
      State(
        ledger: CostLedger(config: config), traffic: UsageTraffic(window: config.window),
        usageAPI: config.cost.usageAPI, window: config.window))
  }

  /// Takes a reloaded configuration.
  public func apply(_ config: AtalayaConfig) {
    state.withLock { s in
      s.ledger.apply(config)
      s.traffic.apply(window: config.window)
      s.usageAPI = config.cost.usageAPI
      s.window = config.window
    }
  }

  public func recordProbe(_ outcome: ProbeOutcome) {
    state.withLock { $0.ledger.recordProbe(outcome) }
  }

  public func recordAccount(provider: String, info: AccountInfo, at: Timestamp) {
    state.withLock { $0.ledger.recordAccount(provider: provider, info: info, at: at) }
  }

  public func setFetchedPrices(provider: String, _ prices: [String: ModelPrice]) {
    state.withLock { $0.ledger.setFetchedPrices(provider: provider, prices) }
  }

  /// When `provider`'s spent key limit resets, from its last account reading (OpenRouter's
  /// `limit_reset`); nil without a spent, resetting limit.
  public func accountLimitResetsAt(provider: String, after now: Timestamp) -> Timestamp? {
    state.withLock { $0.ledger.accounts[provider]?.info?.limitResetsAt(after: now) }
  }

  /// The read model at `now`.
  public func view(at now: Timestamp) -> CostView {
    state.withLock { $0.ledger.view(at: now) }
  }

  /// The application's traffic windows per provider and model at `now`.
  public func trafficStats(at now: Timestamp) -> [ModelKey: WindowStats] {
    state.withLock { s in
      Dictionary(s.traffic.stats(at: now).map { ($0.key, $0.stats) }) { a, _ in a }
    }
  }

  /// Alert samples of application traffic (`source="usage"`).
  public func trafficSignals(at now: Timestamp) -> [TrafficSignal] {
    state.withLock { $0.traffic.signals(at: now) }
  }

  var usageBodyLimit: Int { state.withLock { $0.usageAPI.maxBodyBytes } }

  func metrics(at now: Timestamp) -> CostMetrics {
    state.withLock {
      CostMetrics(view: $0.ledger.view(at: now), traffic: $0.traffic.stats(at: now))
    }
  }

  // MARK: Usage API

  /// Most errors listed in one response.
  static let maxListedErrors = 100

  /// Handles POST /api/v1/usage: bearer check, strict parse, then every valid
  /// event is recorded (spend and traffic windows); the answer lists the rest.
  public func ingest(body: [UInt8], authorization: String?, now: Timestamp) -> EndpointResponse {
    ingestEvents(body: body, authorization: authorization, now: now).response
  }

  /// ``ingest(body:authorization:now:)``, with the events it accepted.
  public func ingestEvents(body: [UInt8], authorization: String?, now: Timestamp) -> (
    response: EndpointResponse, accepted: [UsageEvent]
  ) {
    let (api, window) = state.withLock { ($0.usageAPI, $0.window) }
    if let token = api.bearerToken {
      guard BearerAuthorization.matches(authorization, token: token) else {
        return (
          Self.answer(
            status: 401, accepted: 0,
            errors: [UsageEventError(message: "missing or wrong bearer token")]), []
        )
      }
    }
    let batch = UsageParser(maxAge: window).parse(body, now: now)
    var errors = batch.errors
    var accepted = 0
    var events: [UsageEvent] = []
    state.withLock { s in
      for e in batch.events {
        let key = ModelKey(provider: e.provider, model: e.model)
        guard s.ledger.makeRoom(for: key, at: now), s.traffic.makeRoom(for: key, at: now) else {
          errors.append(
            UsageEventError(
              message:
                "too many distinct provider/model series (limit \(CostLedger.maxSeries)); event dropped"
            ))
          continue
        }
        s.ledger.recordUsage(e, now: now)
        s.traffic.record(e, now: now)
        accepted += 1
        events.append(e)
      }
    }
    let status = accepted == 0 && !errors.isEmpty ? 400 : 200
    return (Self.answer(status: status, accepted: accepted, errors: errors), events)
  }

  static func answer(status: Int, accepted: Int, errors: [UsageEventError]) -> EndpointResponse {
    let listed = errors.prefix(maxListedErrors).map { e -> JSONValue in
      var members: [(String, JSONValue)] = []
      if let line = e.line { members.append(("line", .number(Double(line)))) }
      if let index = e.index { members.append(("index", .number(Double(index)))) }
      if let field = e.field { members.append(("field", .string(field))) }
      members.append(("message", .string(e.message)))
      return .members(members)
    }
    let json = JSONValue.members([
      ("accepted", .number(Double(accepted))),
      ("rejected", .number(Double(errors.count))),
      ("errors", .array(Array(listed))),
    ])
    return EndpointResponse(status: status, body: Array((json.encoded + "\n").utf8))
  }

  // MARK: Persistence

  public func snapshot(at now: Timestamp) -> JSONValue {
    state.withLock { $0.ledger.snapshot(at: now) }
  }

  /// Installs a ledger restored from `cost.json`, with the configuration in force.
  public func adopt(_ ledger: CostLedger, config: AtalayaConfig) {
    state.withLock { s in
      s.ledger = ledger
      s.ledger.apply(config)
    }
  }

  public func restore(_ json: JSONValue) throws(CostLedger.SnapshotError) {
    try state.withLock { s throws(CostLedger.SnapshotError) in try s.ledger.restore(json) }
  }
}
