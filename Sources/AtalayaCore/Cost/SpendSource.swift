/// Where a recorded spend comes from (the `source` label).
public enum SpendSource: String, Sendable, CaseIterable, Hashable {
  /// The provider's own account (OpenRouter GET /key).
  case account
  /// The agent's own probes.
  case probe
  /// Traffic the application reports through POST /api/v1/usage.
  case usage
}

/// A provider and model (the usage series and price-missing key).
public struct ModelKey: Sendable, Hashable, Comparable {
  public var provider: String
  public var model: String

  public init(provider: String, model: String) {
    self.provider = provider
    self.model = model
  }

  public static func < (a: ModelKey, b: ModelKey) -> Bool {
    (a.provider, a.model) < (b.provider, b.model)
  }
}

/// The key of a cost counter: provider, model and source.
public struct SpendKey: Sendable, Hashable, Comparable {
  public var provider: String
  public var model: String
  public var source: SpendSource

  public init(provider: String, model: String, source: SpendSource) {
    self.provider = provider
    self.model = model
    self.source = source
  }

  public static func < (a: SpendKey, b: SpendKey) -> Bool {
    (a.provider, a.model, a.source.rawValue) < (b.provider, b.model, b.source.rawValue)
  }

  /// The model label of account spend, which is not broken down by model.
  public static let accountModel = "_all"
}

/// Tokens counted for a model whose price is unknown.
public struct TokenCount: Sendable, Equatable {
  public var input: Int = 0
  public var output: Int = 0

  public init(input: Int = 0, output: Int = 0) {
    self.input = input
    self.output = output
  }
}
