/// Identifies one check: the `provider` and `model` labels of its series.
///
/// A `models` check (GET /models) has the model label ``CheckID/modelsCheckModel``.
public struct CheckID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  public var provider: String
  public var model: String

  /// The `model` label value of a zero-cost `kind: models` check.
  public static let modelsCheckModel = "_models"

  public init(provider: String, model: String) {
    self.provider = provider
    self.model = model
  }

  public static func < (lhs: CheckID, rhs: CheckID) -> Bool {
    (lhs.provider, lhs.model) < (rhs.provider, rhs.model)
  }

  public var description: String { "\(provider)/\(model)" }
}
