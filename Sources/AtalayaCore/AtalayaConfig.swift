/// The whole agent configuration, parsed and validated. Every duration and
/// override is resolved: consumers never look up defaults themselves.
public struct AtalayaConfig: Sendable, Equatable {
  /// Where the HTTP server listens (`host:port`).
  public var listen: ListenAddress
  /// Where state is saved; nil keeps state in memory only.
  public var stateDir: String?
  /// Rolling window for ratios and quantiles.
  public var window: Duration
  public var defaults: CheckDefaults
  public var providers: [ProviderConfig]
  public var circuitBreaker: CircuitBreakerConfig
  /// Alert rules, receivers and silences (default rules when the section is absent).
  public var alerting: AlertingConfig
  /// Prices, budgets and the probe spend limit.
  public var cost: CostConfig
  /// Who may call the lifecycle endpoints (POST /-/reload).
  public var adminAPI: AdminAPIConfig
  /// Availability objectives over the uptime history.
  public var slos: [SLOConfig]
  /// How incidents open and resolve.
  public var incidents: IncidentConfig
  /// Fallback chains the routes API answers for.
  public var routes: [RouteConfig]
  /// The live event stream's limits.
  public var events: EventsConfig

  public init(
    listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 9478),
    stateDir: String? = nil,
    window: Duration = .seconds(600),
    defaults: CheckDefaults = CheckDefaults(),
    providers: [ProviderConfig] = [],
    circuitBreaker: CircuitBreakerConfig = CircuitBreakerConfig(),
    alerting: AlertingConfig = AlertingConfig(),
    cost: CostConfig = CostConfig(),
    adminAPI: AdminAPIConfig = AdminAPIConfig(), slos: [SLOConfig] = [],
    incidents: IncidentConfig = IncidentConfig(), routes: [RouteConfig] = [],
    events: EventsConfig = EventsConfig()
  ) {
    self.events = events
    self.routes = routes
    self.slos = slos
    self.incidents = incidents
    self.listen = listen
    self.stateDir = stateDir
    self.window = window
    self.defaults = defaults
    self.providers = providers
    self.circuitBreaker = circuitBreaker
    self.alerting = alerting
    self.cost = cost
    self.adminAPI = adminAPI
  }

  /// The breaker settings `check` runs with.
  public func breaker(for check: CheckConfig) -> CircuitBreakerConfig {
    check.circuitBreaker ?? circuitBreaker
  }

  /// Every check of every provider, in config order.
  public var allChecks: [(provider: ProviderConfig, check: CheckConfig)] {
    providers.flatMap { p in p.checks.map { (p, $0) } }
  }
}

/// `events:`: how many clients may follow `GET /api/v1/events` at once.
public struct EventsConfig: Sendable, Equatable {
  public var maxSubscribers: Int

  public init(maxSubscribers: Int = 64) { self.maxSubscribers = maxSubscribers }
}

/// `admin_api:`: when a bearer token is set, POST /-/reload needs
/// `Authorization: Bearer <token>`; without one it is open to whoever can reach the
/// listener (bind to loopback, the default), like Prometheus' `--web.enable-lifecycle`.
public struct AdminAPIConfig: Sendable, Equatable {
  public var bearerToken: Secret?

  public init(bearerToken: Secret? = nil) { self.bearerToken = bearerToken }
}

/// A `host:port` listen address.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
  public var host: String
  public var port: Int

  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension AtalayaConfig {
  /// The probe timeout where the file writes none, capped at the interval.
  public static let builtInTimeout: Duration = .seconds(15)
}

/// Interval and timeout used where a provider or check sets none.
public struct CheckDefaults: Sendable, Equatable {
  public var interval: Duration
  public var timeout: Duration

  public init(interval: Duration = .seconds(30), timeout: Duration = .seconds(15)) {
    self.interval = interval
    self.timeout = timeout
  }
}

/// The API dialect a provider speaks.
public enum ProviderType: String, CaseIterable, Sendable, Equatable {
  case openai
  case openrouter
  case anthropic
  case ollama
}

/// One provider: where it is, how to authenticate, what to check.
public struct ProviderConfig: Sendable, Equatable {
  /// `[a-z0-9_-]+`, unique; the `provider` label.
  public var name: String
  public var type: ProviderType
  /// Base URL without a trailing slash, e.g. `https://api.openai.com/v1`.
  public var baseURL: String
  /// The API key, if any (none for Ollama).
  public var apiKey: Secret?
  /// Extra request headers, in config order. Values are treated as secrets.
  public var headers: [HeaderField]
  /// Resolved probe interval (check default for this provider).
  public var interval: Duration
  /// Resolved probe timeout.
  public var timeout: Duration
  /// Whether a `rate_limited` result counts against health (default false).
  public var countRateLimited: Bool
  /// Account API polling (OpenRouter's GET /key); nil when off or unsupported.
  public var account: AccountPolling?
  /// The application's declared request limit for this provider (routes).
  public var rateLimit: RequestRateLimit?
  public var checks: [CheckConfig]

  public init(
    name: String, type: ProviderType = .openai, baseURL: String, apiKey: Secret? = nil,
    headers: [HeaderField] = [], interval: Duration = .seconds(30),
    timeout: Duration = .seconds(15),
    countRateLimited: Bool = false, account: AccountPolling? = nil, checks: [CheckConfig] = []
  ) {
    self.name = name
    self.type = type
    self.baseURL = baseURL
    self.apiKey = apiKey
    self.headers = headers
    self.interval = interval
    self.timeout = timeout
    self.countRateLimited = countRateLimited
    self.account = account
    self.checks = checks
  }
}

/// One extra HTTP header.
public struct HeaderField: Sendable, Equatable {
  public var name: String
  public var value: Secret

  public init(name: String, value: Secret) {
    self.name = name
    self.value = value
  }
}

/// What a check does.
public enum CheckKind: String, Sendable, Equatable, CaseIterable {
  /// A tiny chat completion (the default).
  case chat
  /// GET {base_url}/models (Ollama: /api/tags); costs nothing.
  case models
}

/// One check of one provider, with every setting resolved.
public struct CheckConfig: Sendable, Equatable {
  public var kind: CheckKind
  /// The model (chat checks); ``CheckID/modelsCheckModel`` for models checks.
  public var model: String
  public var maxTokens: Int
  public var stream: Bool
  /// Latency above which the check counts as degraded.
  public var slow: Duration
  public var interval: Duration
  public var timeout: Duration
  /// The breaker settings when they differ from the top level's (a provider or check
  /// `circuit_breaker:`, or `count_rate_limited`); nil uses ``AtalayaConfig/circuitBreaker``.
  public var circuitBreaker: CircuitBreakerConfig?
  /// Models a `kind: models` check expects in the provider's list (`expect:`).
  public var expectedModels: [String]
  /// The reasoning effort a chat probe asks for (see ``ReasoningProbe``); nil sends none.
  public var reasoningEffort: String?

  public init(
    kind: CheckKind = .chat, model: String, maxTokens: Int = 8, stream: Bool = false,
    slow: Duration = .seconds(10), interval: Duration = .seconds(30),
    timeout: Duration = .seconds(15), circuitBreaker: CircuitBreakerConfig? = nil,
    expectedModels: [String] = [], reasoningEffort: String? = nil
  ) {
    self.reasoningEffort = reasoningEffort
    self.circuitBreaker = circuitBreaker
    self.expectedModels = expectedModels
    self.kind = kind
    self.model = model
    self.maxTokens = maxTokens
    self.stream = stream
    self.slow = slow
    self.interval = interval
    self.timeout = timeout
  }

  /// The check's identity within a provider.
  public func id(provider: String) -> CheckID { CheckID(provider: provider, model: model) }
}
