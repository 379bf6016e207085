import AtalayaCore
import HTTPTypes
import Hummingbird

/// What a request asks for, once routed.
enum Endpoint: Sendable, Equatable {
  case chat
  case models
  /// OpenRouter's `GET /key` (credits); not subject to the behavior.
  case key
}

/// The generic errors every dialect can express in its own envelope.
enum ErrorKind: Sendable, Equatable {
  case unauthorized
  case badRequest(String)
  case notFound(String)
  case rateLimited
  case serverError
  case unavailable
}

/// Everything about one chat answer: what was asked and the plan for it.
struct ChatContext: Sendable {
  var request: ChatRequest
  var plan: Plan
  var providerName: String
  /// The answer's text: "ok", or nothing when the token limit is 0.
  var content: String

  init(request: ChatRequest, plan: Plan, providerName: String) {
    self.request = request
    self.plan = plan
    self.providerName = providerName
    self.content = ""
    self.content = completionTokens > 0 ? "ok" : ""
  }

  var model: String { request.model ?? "sim-model" }
  /// The completion tokens: the smaller of the request's limit and 1.
  var completionTokens: Int { max(0, min(request.tokenLimit ?? 1, 1)) }
  var promptTokens: Int { request.promptTokens }
  var totalTokens: Int { promptTokens + completionTokens }
  /// A cost like OpenRouter's `usage.cost`, in USD.
  var cost: Double { Double(promptTokens) * 0.000_000_1 + Double(completionTokens) * 0.000_002 }
  var createdUnix: Int { Int(plan.now.seconds) }
  /// Why generation stopped, in OpenAI's words.
  var finishReason: String { completionTokens > 0 ? "stop" : "length" }
  /// Streams send their first token after half the latency, the rest after the other half.
  var halfLatency: Duration { plan.latency / 2 }
}

/// One API dialect: its routes, auth check, success bodies, error envelope and faulty answers.
protocol Dialect: Sendable {
  func endpoint(method: HTTPRequest.Method, subpath: String) -> Endpoint?
  func isAuthorized(_ headers: HTTPFields, key: String) -> Bool
  /// Whether the chat request asks for a stream.
  func wantsStream(_ request: ChatRequest) -> Bool
  func chat(_ context: ChatContext, stream: Bool) -> Response
  func models(plan: Plan) -> Response
  func error(_ kind: ErrorKind, plan: Plan?) -> Response
  /// A 200 body that lacks the fields a client needs.
  func wrongShape(endpoint: Endpoint, context: ChatContext) -> Response
  /// A stream ending in `fault` (streamError, streamFinishError, truncatedStream).
  func faultyStream(_ fault: Fault, context: ChatContext) -> Response
}

extension Dialect {
  func wantsStream(_ request: ChatRequest) -> Bool { request.stream ?? false }
}

extension ProviderType {
  /// The dialect spoken by this provider type.
  var dialect: any Dialect {
    switch self {
    case .openai, .openrouter: OpenAIDialect()
    case .anthropic: AnthropicDialect()
    case .ollama: OllamaDialect()
    }
  }
}
