import AtalayaCore
import Exposition
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// The agent's HTTP server: /metrics, /api/v1/status, /api/v1/alerts,
/// POST /api/v1/usage, /-/healthy, /-/ready and POST /-/reload, served by Hummingbird.
public enum AtalayaHTTPServer {
  /// Builds the application. `onListening` receives the bound port (useful
  /// with port 0) once the listener is up.
  public static func makeApplication(
    endpoints: some AgentEndpoints,
    listen: ListenAddress,
    limits: ServerLimits = ServerLimits(),
    logger: Logger,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    let router = makeRouter(endpoints: endpoints)
    return Application(
      router: router,
      server: .http1(configuration: .init(idleTimeout: limits.idleTimeout.timeAmount)),
      configuration: ApplicationConfiguration(
        address: .hostname(listen.host, port: listen.port),
        serverName: nil,
        reuseAddress: true,
        availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)
      ),
      onServerRunning: { channel in
        await onListening(channel.localAddress?.port ?? listen.port)
      },
      logger: logger
    )
  }

  /// The routes, separate from the listener so tests can drive them in-process.
  public static func makeRouter(endpoints: some AgentEndpoints) -> Router<BasicRequestContext> {
    let router = Router()
    router.get("/metrics") { _, _ in
      // Streamed: a large fleet's exposition goes out in pieces, never held whole.
      Response(
        status: .ok, headers: [.contentType: ExpositionWriter.contentType],
        body: ResponseBody { writer in
          try await endpoints.streamMetrics { piece in
            try await writer.write(ByteBuffer(bytes: piece))
          }
          try await writer.finish(nil)
        })
    }
    router.get("/api/v1/status") { _, _ in
      bytesResponse(endpoints.renderStatus(), contentType: "application/json")
    }
    router.get("/api/v1/alerts") { _, _ in
      bytesResponse(endpoints.renderAlerts(), contentType: "application/json")
    }
    router.get("/api/v1/history") { request, _ in
      endpointResponse(endpoints.renderHistory(query: query(request)))
    }
    router.get("/api/v1/incidents") { request, _ in
      endpointResponse(endpoints.renderIncidents(query: query(request)))
    }
    router.get("/api/v1/incidents/:id") { _, context in
      endpointResponse(endpoints.renderIncident(id: context.parameters.get("id") ?? ""))
    }
    router.get("/api/v1/events") { request, _ in
      let last = HTTPField.Name("Last-Event-ID").flatMap { request.headers[$0] }
      switch endpoints.subscribeEvents(lastEventID: last, query: query(request)) {
      case .refused(let r):
        return endpointResponse(r)
      case .stream(let frames):
        return Response(
          status: .ok,
          headers: [
            .contentType: "text/event-stream", .cacheControl: "no-cache",
            HTTPField.Name("X-Accel-Buffering")!: "no",
          ],
          body: ResponseBody { writer in
            for await frame in frames {
              try await writer.write(ByteBuffer(bytes: frame))
            }
            try await writer.finish(nil)
          })
      }
    }
    router.get("/api/v1/routes") { _, _ in
      endpointResponse(endpoints.renderRoutes())
    }
    router.get("/api/v1/routes/:name") { _, context in
      endpointResponse(endpoints.renderRoute(name: context.parameters.get("name") ?? ""))
    }
    addSilenceRoutes(to: router, endpoints: endpoints)
    router.get("/-/healthy") { _, _ in
      textResponse(.ok, "Atalaya is Healthy.\n")
    }
    router.get("/-/ready") { _, _ in
      endpoints.isReady
        ? textResponse(.ok, "Atalaya is Ready.\n")
        : textResponse(.serviceUnavailable, "Atalaya is not ready.\n")
    }
    router.post("/-/reload") { request, _ in
      if let refusal = CrossSiteRequest.refusal(
        headers: request.headers, authority: request.head.authority)
      {
        return textResponse(.forbidden, refusal + "\n")
      }
      guard endpoints.authorizesAdmin(request.headers[.authorization]) else {
        var response = textResponse(.unauthorized, "missing or wrong bearer token\n")
        response.headers[.wwwAuthenticate] = #"Bearer realm="atalaya""#
        return response
      }
      let outcome = await endpoints.reload()
      return textResponse(outcome.success ? .ok : .internalServerError, outcome.message + "\n")
    }
    router.post("/api/v1/usage") { request, _ in
      if let refusal = CrossSiteRequest.refusal(
        headers: request.headers, authority: request.head.authority)
      {
        return jsonError(.forbidden, refusal)
      }
      return await usageRoute(request, endpoints: endpoints)
    }
    router.get("/status") { _, _ in
      guard let page = endpoints.renderStatusPage() else {
        return textResponse(.notFound, "not found\n")
      }
      return bytesResponse(page, contentType: "text/html; charset=utf-8")
    }
    router.get("/") { request, _ in
      // Browsers get the status page; curl and scripts the plain index.
      if request.headers[.accept]?.contains("text/html") == true,
        let page = endpoints.renderStatusPage()
      {
        return bytesResponse(page, contentType: "text/html; charset=utf-8")
      }
      return textResponse(
        .ok,
        """
        Atalaya: health of your LLM providers.
          /metrics          Prometheus metrics
          /api/v1/status    status as JSON
          /api/v1/alerts    active alerts as JSON
          /api/v1/history?provider=P[&model=M]&range=24h|7d|30d|90d   uptime buckets
          /api/v1/incidents?days=30[&provider=P][&status=open]      the incident log
          /api/v1/routes[/NAME]  which model to use now, per route
          /api/v1/silences  silences (POST to add, DELETE /api/v1/silences/ID to expire)
          /api/v1/events    live events (Server-Sent Events; curl -N)
          /status           the status page (also / in a browser)
          /-/healthy        liveness
          /-/ready          readiness
          POST /-/reload    re-read the configuration
          POST /api/v1/usage  report application traffic (JSON or NDJSON)

        """)
    }
    return router
  }

  /// The query parameters, the first value of each name (at most 16 names).
  static func query(_ request: Request) -> [String: String] {
    var out: [String: String] = [:]
    for (name, value) in request.uri.queryParameters where out.count < 16 {
      let key = String(name)
      if out[key] == nil { out[key] = String(value) }
    }
    return out
  }

  static func endpointResponse(_ r: EndpointResponse) -> Response {
    Response(
      status: HTTPResponse.Status(code: r.status),
      headers: [.contentType: r.contentType],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: r.body)))
  }

  static func bytesResponse(_ bytes: [UInt8], contentType: String) -> Response {
    Response(
      status: .ok,
      headers: [.contentType: contentType],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
    )
  }

  static func textResponse(_ status: HTTPResponse.Status, _ text: String) -> Response {
    Response(
      status: status,
      headers: [.contentType: "text/plain; charset=utf-8"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: text))
    )
  }
}
