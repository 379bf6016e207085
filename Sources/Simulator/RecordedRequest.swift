/// A request the simulator received, kept so tests can assert request shapes.
public struct RecordedRequest: Sendable, Equatable {
  /// `GET`, `POST`, ...
  public var method: String
  /// The path without the query, e.g. `/steady/v1/chat/completions`.
  public var path: String
  /// Header fields in arrival order; names lowercased.
  public var headers: [(name: String, value: String)]
  /// The request body as text (UTF-8, lossy).
  public var body: String

  public init(method: String, path: String, headers: [(name: String, value: String)], body: String)
  {
    self.method = method
    self.path = path
    self.headers = headers
    self.body = body
  }

  /// The first value of header `name` (case-insensitive), if present.
  public func header(_ name: String) -> String? {
    let wanted = name.lowercased()
    return headers.first { $0.name == wanted }?.value
  }

  public static func == (lhs: RecordedRequest, rhs: RecordedRequest) -> Bool {
    lhs.method == rhs.method && lhs.path == rhs.path && lhs.body == rhs.body
      && lhs.headers.map(\.name) == rhs.headers.map(\.name)
      && lhs.headers.map(\.value) == rhs.headers.map(\.value)
  }
}
