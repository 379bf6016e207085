/// One request the application reports through POST /api/v1/usage.
public struct UsageEvent: Sendable, Equatable {
  public var provider: String
  public var model: String
  public var inputTokens: Int
  public var outputTokens: Int
  /// The cost the application knows (else the price book is used).
  public var costUSD: Double?
  /// Latency in seconds.
  public var latency: Double?
  /// `success` for `status: ok`, else the reported result class.
  public var result: ResultClass
  public var at: Timestamp

  public init(
    provider: String, model: String, inputTokens: Int, outputTokens: Int, costUSD: Double? = nil,
    latency: Double? = nil, result: ResultClass = .success, at: Timestamp
  ) {
    self.provider = provider
    self.model = model
    self.inputTokens = inputTokens
    self.outputTokens = outputTokens
    self.costUSD = costUSD
    self.latency = latency
    self.result = result
    self.at = at
  }
}

/// Why one event of a usage batch was rejected.
public struct UsageEventError: Sendable, Equatable {
  /// 1-based line of an NDJSON body; nil for a single JSON document.
  public var line: Int?
  /// 0-based index in a JSON array body.
  public var index: Int?
  /// The offending field, when one is to blame.
  public var field: String?
  public var message: String

  public init(line: Int? = nil, index: Int? = nil, field: String? = nil, message: String) {
    self.line = line
    self.index = index
    self.field = field
    self.message = message
  }

  /// `line 3: input_tokens: must be a whole number >= 0`.
  public var description: String {
    var parts: [String] = []
    if let line { parts.append("line \(line)") }
    if let index { parts.append("event \(index)") }
    if let field { parts.append(field) }
    parts.append(message)
    return parts.joined(separator: ": ")
  }
}

/// A parsed usage body: the valid events and an error per rejected one.
public struct UsageBatch: Sendable, Equatable {
  public var events: [UsageEvent] = []
  public var errors: [UsageEventError] = []

  public init(events: [UsageEvent] = [], errors: [UsageEventError] = []) {
    self.events = events
    self.errors = errors
  }
}
