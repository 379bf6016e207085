import AtalayaCore
import HTTPClient

/// What `atalaya silence` asks a running agent, through its silences API (libcurl).
public struct SilenceClient: Sendable {
  /// Why a call failed, said for a person.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    /// Safe to print: control characters from the agent's answer are spaces.
    public var description: String

    public init(description: String) {
      self.description = TerminalText.safe(description, keepNewlines: true)
    }
  }

  /// e.g. `http://127.0.0.1:9478`.
  public let baseURL: String
  private let token: Secret?
  private let transport: CurlTransport

  public init(baseURL: String, token: Secret?, transport: CurlTransport) {
    var url = baseURL
    while url.hasSuffix("/") { url.removeLast() }
    self.baseURL = url
    self.token = token
    self.transport = transport
  }

  /// The base URL for a `listen` address: wildcard hosts become loopback.
  public static func baseURL(listen: ListenAddress) -> String {
    let host =
      switch listen.host {
      case "0.0.0.0", "": "127.0.0.1"
      case "::", "[::]": "[::1]"
      default:
        listen.host.contains(":") && !listen.host.hasPrefix("[") ? "[\(listen.host)]" : listen.host
      }
    return "http://\(host):\(listen.port)"
  }

  /// Every silence (newest first).
  public func list() async throws(Failure) -> [SilenceRecord] {
    let json = try await call("GET", "/api/v1/silences")
    guard let items = json.arrayValue else {
      throw Failure(description: "unexpected answer: not a list")
    }
    var records: [SilenceRecord] = []
    for item in items {
      guard let id = item["id"]?.stringValue,
        let request = try? SilenceRequest.parse(item, at: nil), let starts = request.startsAt,
        case .at(let ends) = request.end,
        let updated = item["updatedAt"]?.stringValue.flatMap(RFC3339.parse)
      else { throw Failure(description: "unexpected answer: a silence without its fields") }
      records.append(
        SilenceRecord(
          id: id, matchers: request.matchers, startsAt: starts, endsAt: ends,
          createdBy: request.createdBy, comment: request.comment, updatedAt: updated))
    }
    return records
  }

  /// Creates a silence; returns its id.
  public func add(
    matchers: [LabelMatcher], startsAt: Timestamp?, end: SilenceRequest.End, createdBy: String,
    comment: String
  ) async throws(Failure) -> String {
    var members: [(String, JSONValue)] = [
      ("matchers", .array(matchers.map(SilenceBook.matcherJSON)))
    ]
    if let startsAt { members.append(("startsAt", .string(RFC3339.format(startsAt)))) }
    switch end {
    case .at(let t): members.append(("endsAt", .string(RFC3339.format(t))))
    case .after(let d): members.append(("duration", .string(formatDuration(d))))
    }
    members += [("createdBy", .string(createdBy)), ("comment", .string(comment))]
    let json = try await call("POST", "/api/v1/silences", body: .members(members))
    guard let id = json["silenceID"]?.stringValue else {
      throw Failure(description: "unexpected answer: no silenceID")
    }
    return id
  }

  /// Expires the silence `id` now.
  public func expire(id: String) async throws(Failure) {
    let escaped = id.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || $0 == "-" }
    guard escaped, !id.isEmpty else { throw Failure(description: "\(id): not a silence id") }
    _ = try await call("DELETE", "/api/v1/silences/\(id)")
  }

  private func call(_ method: String, _ path: String, body: JSONValue? = nil)
    async throws(Failure) -> JSONValue
  {
    var headers = [HTTPHeader(name: "Accept", value: "application/json")]
    if body != nil { headers.append(HTTPHeader(name: "Content-Type", value: "application/json")) }
    if let token, method != "GET" {
      headers.append(HTTPHeader(name: "Authorization", value: "Bearer \(token.reveal())"))
    }
    let response = await transport.send(
      HTTPRequest(
        method: method, url: baseURL + path, headers: headers, body: body?.encodedBytes,
        timeout: .seconds(10), connectTimeout: .seconds(3)))
    if let error = response.error {
      throw Failure(description: "cannot reach the agent at \(baseURL): \(error.message)")
    }
    let json = JSONValue.parse(response.body)
    guard (200..<300).contains(response.status) else {
      var message = json?["error"]?.stringValue ?? "HTTP \(response.status)"
      if response.status == 401 && token == nil {
        message += " (give the admin token with --token-file or $ATALAYA_ADMIN_TOKEN)"
      }
      throw Failure(description: "\(method) \(path): \(message)")
    }
    guard let json else { throw Failure(description: "unexpected answer: not JSON") }
    return json
  }
}
