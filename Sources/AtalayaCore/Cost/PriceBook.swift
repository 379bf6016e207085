/// Where a model's price comes from, or why there is none.
public enum PriceLookup: Sendable, Equatable {
  /// A known price (configured, or fetched from OpenRouter's /models).
  case priced(ModelPrice)
  /// Free by nature (Ollama: local models).
  case free
  /// No known price: tokens are counted, the cost is not (never priced at 0).
  case missing
}

/// Prices per model: the configured `pricing:` table first, then prices fetched
/// from each OpenRouter provider's `GET /models`; Ollama models are free.
///
/// Configured keys are `provider/model` (the provider's name in this config) or
/// just `model`; the more specific key wins. OpenRouter model ids contain a
/// slash themselves (`openai/gpt-4o-mini`), so a plain model key matches them.
public struct PriceBook: Sendable, Equatable {
  public var configured: [String: ModelPrice]
  /// Prices fetched per provider name, keyed by model id.
  public var fetched: [String: [String: ModelPrice]]

  public init(configured: [String: ModelPrice] = [:], fetched: [String: [String: ModelPrice]] = [:])
  {
    self.configured = configured
    self.fetched = fetched
  }

  /// The price of `model` used through `provider` (of `type`, nil when the
  /// provider is not in the config, e.g. one only the usage API reports).
  public func lookup(provider: String, type: ProviderType?, model: String) -> PriceLookup {
    if let p = configured[provider + "/" + model] ?? configured[model] { return .priced(p) }
    if let p = fetched[provider]?[model] { return .priced(p) }
    if type == .ollama { return .free }
    return .missing
  }

  /// USD for the tokens, or nil when the price is missing.
  public func cost(
    provider: String, type: ProviderType?, model: String, inputTokens: Int, outputTokens: Int
  ) -> Double? {
    switch lookup(provider: provider, type: type, model: model) {
    case .free: return 0
    case .missing: return nil
    case .priced(let p): return p.cost(inputTokens: inputTokens, outputTokens: outputTokens)
    }
  }

  /// Prices from an OpenRouter `GET /models` document: `data[].id` with
  /// `data[].pricing.prompt` / `.completion`, USD per token as decimal strings.
  /// Models with unreadable or negative prices are skipped.
  public static func openRouterPrices(_ json: JSONValue) -> [String: ModelPrice]? {
    guard let data = json["data"]?.arrayValue else { return nil }
    var prices: [String: ModelPrice] = [:]
    for item in data {
      guard let id = item["id"]?.stringValue, let pricing = item["pricing"],
        let prompt = perToken(pricing["prompt"]), let completion = perToken(pricing["completion"])
      else { continue }
      prices[id] = ModelPrice(inputPerMTok: prompt * 1e6, outputPerMTok: completion * 1e6)
    }
    return prices
  }

  static func perToken(_ value: JSONValue?) -> Double? {
    let number = value?.stringValue.flatMap(Double.init) ?? value?.doubleValue
    guard let number, number.isFinite, number >= 0 else { return nil }
    return number
  }
}

extension ModelPrice {
  /// USD for the tokens at this price.
  public func cost(inputTokens: Int, outputTokens: Int) -> Double {
    (Double(inputTokens) * inputPerMTok + Double(outputTokens) * outputPerMTok) / 1e6
  }
}
