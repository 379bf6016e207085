import AtalayaCore
import AtalayaTestSupport
import Foundation
import HTTPClient
import Testing

/// The status page: served to browsers at / and at /status, escaped, self-contained, with
/// its live-update script. (The headless-Chromium test of the live update is not in yet.)
@Suite("Status page", .timeLimit(.minutes(1)))
struct StatusPageTests {
  static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  static func yaml(_ base: String) -> String {
    """
    listen: 127.0.0.1:0
    defaults: {interval: 10s, timeout: 5s}
    circuit_breaker: {failure_threshold: 1, reset_timeout: 1h, success_threshold: 1}
    providers:
      - name: p
        base_url: \(base)/v1
        api_key: ${TEST_API_KEY}
        checks: [{model: m}]
      - name: other
        base_url: \(base)/v1
        api_key: ${TEST_API_KEY}
        checks: [{model: "<b>m2</b>"}]
    routes:
      - {name: chat, candidates: [p/m, "other/<b>m2</b>"]}
    alerting:
      evaluation_interval: 10s
      rules: []

    """
  }

  @Test func browsersGetTheHTMLPageAndScriptsThePlainIndex() async throws {
    let provider = TestHTTPServer(body: RoutesEndToEndTests.ok)
    defer { provider.stop() }
    let agent = try await InProcessAgent(yaml: Self.yaml(provider.baseURL))
    try await agent.running { a in
      await a.waitUntilReady()
      let port = await a.ports.wait(count: 1)[0]
      let page = try await TestHTTPClient.request(
        "GET", port: port, path: "/", headers: [("Accept", "text/html,application/xhtml+xml")])
      #expect(page.status == 200)
      #expect(page.header("content-type")?.hasPrefix("text/html") == true)
      #expect(page.text.contains(#"data-provider="p" data-status="healthy""#))
      #expect(page.text.contains("&lt;b&gt;m2&lt;/b&gt;"))
      #expect(!page.text.contains("<b>m2</b>"))
      #expect(
        !page.text.contains("http://") && !page.text.contains("https://"), "external references")
      #expect(page.text.contains("prefers-color-scheme:dark"))
      #expect(page.text.contains(#"new EventSource("/api/v1/events")"#))
      let status = try await TestHTTPClient.request("GET", port: port, path: "/status")
      #expect(status.text.contains("<!doctype html>"))
      let plain = try await TestHTTPClient.request("GET", port: port, path: "/")
      #expect(plain.text.hasPrefix("Atalaya: health of your LLM providers."))
    }
  }
}
