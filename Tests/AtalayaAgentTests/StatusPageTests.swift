import AtalayaCore
import AtalayaTestSupport
import Foundation
import HTTPClient
import Testing

/// The status page: served to browsers at / and at /status, escaped, self-contained, with
/// its live-update script; and in a real browser (headless Chromium driven over the
/// DevTools protocol by Tests/Browser/status_page_driver.py), a provider going down shows
/// as down without a reload. The screenshot is kept in .build/test-artifacts.
@Suite("Status page", .timeLimit(.minutes(2)))
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

  @Test func aBrowserSeesAProviderGoDownWithoutAReload() async throws {
    let python = "/usr/bin/python3"
    let chromium = try #require(
      Subprocess.which("chromium") ?? Subprocess.which("chromium-browser"),
      "headless Chromium is needed (make test installs Debian's chromium)")
    #expect(FileManager.default.isExecutableFile(atPath: python), "python3 is needed")
    let failing = Locked(false)
    // Only p's model (m) fails; the other provider stays healthy.
    let provider = TestHTTPServer { request in
      failing.withLock { $0 } && request.bodyText.contains(#""model":"m""#)
        ? .respond(status: 500, body: Array(#"{"error":{"message":"boom"}}"#.utf8))
        : .respond(
          status: 200, headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
          body: Array(RoutesEndToEndTests.ok.utf8))
    }
    defer { provider.stop() }
    let artifacts = Self.root + "/.build/test-artifacts"
    try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
    for name in ["status-page.png", "status-page.html"] {
      try? FileManager.default.removeItem(atPath: artifacts + "/" + name)
    }
    let scratch = try TemporaryDirectory()
    defer { scratch.cleanup() }

    let agent = try await InProcessAgent(yaml: Self.yaml(provider.baseURL))
    try await agent.running { a in
      await a.waitUntilReady()
      let port = await a.ports.wait(count: 1)[0]
      let driver = try ChildProcess(
        executable: python,
        arguments: [
          Self.root + "/Tests/Browser/status_page_driver.py", "http://127.0.0.1:\(port)/",
          "p", "down", artifacts,
        ],
        environment: [
          "PATH": "/usr/bin:/bin", "HOME": scratch.path, "CHROMIUM": chromium,
          "DRIVER_TIMEOUT": "45",
        ],
        directory: scratch.path)
      defer { driver.terminate() }

      // The page is loaded and follows the event stream (the agent sees its subscriber).
      let live = await Self.output(of: driver, contains: "live", within: .seconds(60))
      #expect(live, "the page never opened its event stream: \(driver.stderr)")
      guard live else { return }
      await a.agent.events.waitForSubscribers(1)

      // The provider fails: its circuit opens at the next probe and the page must say so.
      failing.withLock { $0 = true }
      let probed = a.outcomes.count
      await a.advance(by: .seconds(10), afterSleepers: AgentInProcessTests.idleSleepers)
      _ = await a.outcomes.wait(count: probed + 2)
      let status = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/status")
      let providers = JSONValue.parse(status.body)?["providers"]?.arrayValue ?? []
      #expect(
        providers.first { $0["name"]?.stringValue == "p" }?["status"]?.stringValue == "down",
        "\(status.text)")

      let exit = await driver.wait(timeout: .seconds(60))
      #expect(exit == 0, "driver: \(driver.stdout) \(driver.stderr)")
      #expect(driver.stdout.contains("status down"))
    }
    let dom = try String(contentsOfFile: artifacts + "/status-page.html", encoding: .utf8)
    #expect(dom.contains(#"data-provider="p" data-status="down""#))
    #expect(dom.contains(#"data-provider="other" data-status="healthy""#))
    #expect(dom.contains(">Down<"), "the status is told in words")
    // The whole page followed, not only the provider's badge: its check and the route.
    #expect(
      dom.contains(#"<tr data-route="chat"><td>chat</td><td>other/&lt;b&gt;m2&lt;/b&gt;</td>"#))
    #expect(dom.contains("1 provider down"))
    #expect(dom.contains(#"<tr data-check="m"><td>m</td><td class="status" data-status="down">"#))
    let png = try #require(FileManager.default.contents(atPath: artifacts + "/status-page.png"))
    #expect(png.count > 1000)
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
  }

  /// Waits until the child's standard output holds `text` (or it exits, or time is up).
  static func output(of child: ChildProcess, contains text: String, within limit: Duration)
    async -> Bool
  {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
      if child.stdout.contains(text) { return true }
      if await child.wait(timeout: .milliseconds(50)) != nil { return child.stdout.contains(text) }
    }
    return false
  }
}
