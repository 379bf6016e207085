import AtalayaCore
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import Synchronization

/// Routes `/<name>/...` to the provider's dialect, enforces auth, applies the behavior.
struct SimulatorResponder: HTTPResponder {
  typealias Context = BasicRequestContext

  /// Largest request body accepted.
  static let maxBody = 1 << 20

  let simulator: ProviderSimulator

  func respond(to request: Request, context: Context) async throws -> Response {
    var request = request
    let path = request.uri.path
    let components = path.split(separator: "/").map(String.init)
    let body = try await request.collectBody(upTo: Self.maxBody)
    let bodyBytes = Array(body.readableBytesView)

    guard let name = components.first,
      let provider = record(request, path: path, body: bodyBytes, for: name)
    else {
      return OpenAIDialect().error(.notFound("no simulated provider at \(path)"), plan: nil)
    }
    let dialect = provider.type.dialect
    if let key = provider.apiKey, !dialect.isAuthorized(request.headers, key: key) {
      return dialect.error(.unauthorized, plan: nil)
    }
    let subpath = components.dropFirst().joined(separator: "/")
    guard let endpoint = dialect.endpoint(method: request.method, subpath: subpath) else {
      return dialect.error(.notFound("unknown path \(request.method.rawValue) \(path)"), plan: nil)
    }
    if endpoint == .key {
      return OpenAIDialect().key(
        used: simulator.state.withLock { $0.providers[name]?.creditUsed ?? 0 })
    }
    var chat = ChatRequest()
    if endpoint == .chat {
      do {
        chat = try ChatRequest.parse(bodyBytes)
      } catch {
        return dialect.error(
          .badRequest("could not parse the JSON body of your request"), plan: nil)
      }
    }
    let now = simulator.timeSource.now()
    let plan =
      simulator.state.withLock { $0.providers[name]?.plan(now: now) }
      ?? Plan(decision: .unavailable, sequence: 0, tokensUsed: 0, now: now)
    let context = ChatContext(request: chat, plan: plan, providerName: name)
    return try await answer(plan.decision, endpoint: endpoint, dialect: dialect, context: context)
  }

  /// Counts and records the request; returns the provider it is addressed to, if any.
  private func record(_ request: Request, path: String, body: [UInt8], for name: String)
    -> SimulatedProvider?
  {
    let recorded = RecordedRequest(
      method: request.method.rawValue, path: path,
      headers: request.headers.map { (name: $0.name.canonicalName, value: $0.value) },
      body: String(decoding: body, as: UTF8.self))
    return simulator.state.withLock { s -> SimulatedProvider? in
      guard s.providers[name] != nil else { return nil }
      s.providers[name]!.requestCount += 1
      s.providers[name]!.lastRequest = recorded
      return s.providers[name]!.provider
    }
  }

  private func answer(
    _ decision: Decision, endpoint: Endpoint, dialect: any Dialect, context: ChatContext
  ) async throws
    -> Response
  {
    switch decision {
    case .succeed(let latency):
      let stream = endpoint == .chat && dialect.wantsStream(context.request)
      if !stream, latency > .zero { try await Task.sleep(for: latency) }
      if endpoint == .chat {
        simulator.state.withLock { s in
          s.providers[context.providerName]?.tokensUsed += context.totalTokens
          s.providers[context.providerName]?.creditUsed += context.cost
        }
        return dialect.chat(context, stream: stream)
      }
      return dialect.models(plan: context.plan)
    case .unavailable:
      return dialect.error(.unavailable, plan: context.plan)
    case .fault(let fault):
      return try await answer(fault, endpoint: endpoint, dialect: dialect, context: context)
    }
  }

  private func answer(
    _ fault: Fault, endpoint: Endpoint, dialect: any Dialect, context: ChatContext
  ) async throws
    -> Response
  {
    switch fault {
    case .rateLimited: return dialect.error(.rateLimited, plan: context.plan)
    case .unauthorized: return dialect.error(.unauthorized, plan: context.plan)
    case .badRequest:
      return dialect.error(.badRequest("invalid request (simulated)"), plan: context.plan)
    case .serverError: return dialect.error(.serverError, plan: context.plan)
    case .insufficientQuota: return FaultBodies.insufficientQuota()
    case .paymentRequired: return FaultBodies.paymentRequired()
    case .overloaded: return FaultBodies.overloaded()
    case .badJSON: return FaultBodies.badJSON()
    case .wrongShape: return dialect.wrongShape(endpoint: endpoint, context: context)
    case .hugeBody:
      var huge = context
      huge.content = String(repeating: "a", count: FaultBodies.hugeSize)
      return dialect.chat(huge, stream: false)
    case .hang:
      // Ends only when the simulator stops: cancelled, or 503 on graceful shutdown.
      try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(86_400)) }
      try Task.checkCancellation()
      return dialect.error(.unavailable, plan: context.plan)
    case .streamError, .streamFinishError, .truncatedStream:
      guard endpoint == .chat else {
        return try await answer(
          .succeed(latency: .zero), endpoint: endpoint, dialect: dialect, context: context)
      }
      return dialect.faultyStream(fault, context: context)
    }
  }
}

/// The provider-specific failure bodies sent verbatim whatever the simulated type.
enum FaultBodies {
  /// Size of the `hugeBody` content: 2 MiB.
  static let hugeSize = 2 << 20

  /// OpenAI's 429 `insufficient_quota`.
  static func insufficientQuota() -> Response {
    .json(
      .tooManyRequests,
      .object([
        (
          "error",
          .object([
            (
              "message",
              "You exceeded your current quota, please check your plan and billing details."
            ),
            ("type", "insufficient_quota"), ("param", .null), ("code", "insufficient_quota"),
          ])
        )
      ]))
  }

  /// OpenRouter's 402 out of credits.
  static func paymentRequired() -> Response {
    .json(
      HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required"),
      .object([
        (
          "error",
          .object([
            (
              "message",
              "Insufficient credits. Add more using https://openrouter.ai/settings/credits"
            ),
            ("code", 402),
          ])
        )
      ]))
  }

  /// Anthropic's 529 `overloaded_error`.
  static func overloaded() -> Response {
    .json(
      .siteOverloaded,
      .object([
        ("type", "error"),
        ("error", .object([("type", "overloaded_error"), ("message", "Overloaded")])),
      ]))
  }

  /// A 200 whose body is an HTML page although it claims JSON.
  static func badJSON() -> Response {
    .text(
      .ok, "<html><body><h1>200 OK</h1>upstream returned garbage</body></html>\n",
      contentType: "application/json")
  }
}
