import AtalayaCore
import HTTPTypes
import Hummingbird
import NIOCore

extension AtalayaHTTPServer {
  /// The largest silence request body.
  static let silenceBodyLimit = 64 << 10

  /// GET, POST /api/v1/silences; GET, DELETE /api/v1/silences/{id}. Alertmanager's
  /// paths (/api/v2/silences, /api/v2/silence/{id}) answer the same, so its users'
  /// scripts only change the base URL.
  static func addSilenceRoutes(
    to router: Router<BasicRequestContext>, endpoints: some AgentEndpoints
  ) {
    for list in ["/api/v1/silences", "/api/v2/silences"] {
      router.get(RouterPath(list)) { _, _ in endpointResponse(endpoints.renderSilences()) }
      router.post(RouterPath(list)) { request, _ in
        if let refused = writeRefusal(request) { return refused }
        if let type = request.headers[.contentType],
          !type.lowercased().hasPrefix("application/json")
        {
          return silenceError(.unsupportedMediaType, "send the silence as application/json")
        }
        switch await readBody(request, limit: silenceBodyLimit, refusal: silenceError) {
        case .refused(let response): return response
        case .bytes(let body):
          return authenticated(
            await endpoints.createSilence(
              body: body, authorization: request.headers[.authorization]))
        }
      }
    }
    for one in ["/api/v1/silences/:id", "/api/v2/silence/:id"] {
      router.get(RouterPath(one)) { _, context in
        endpointResponse(endpoints.renderSilence(id: context.parameters.get("id") ?? ""))
      }
      router.delete(RouterPath(one)) { request, context in
        if let refused = writeRefusal(request) { return refused }
        return authenticated(
          await endpoints.expireSilence(
            id: context.parameters.get("id") ?? "", authorization: request.headers[.authorization])
        )
      }
    }
  }

  /// A browser's cross-site write, refused before anything else.
  static func writeRefusal(_ request: Request) -> Response? {
    CrossSiteRequest.refusal(headers: request.headers, authority: request.head.authority)
      .map { silenceError(.forbidden, $0) }
  }

  /// The response, with `WWW-Authenticate` on a 401.
  static func authenticated(_ r: EndpointResponse) -> Response {
    var response = endpointResponse(r)
    if r.status == 401 { response.headers[.wwwAuthenticate] = #"Bearer realm="atalaya""# }
    return response
  }

  static func silenceError(_ status: HTTPResponse.Status, _ message: String) -> Response {
    let body = JSONValue.members([("error", .string(message))]).prettyEncoded
    return Response(
      status: status, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
  }
}
