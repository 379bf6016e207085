import AtalayaCore
import AtalayaTestSupport
import Foundation
import Logging
import Simulator
import Testing

@testable import AtalayaAgent

/// Cost sources against real loopback HTTP: account polling and price refresh
/// against the simulator, the usage API, budgets, metrics and restarts of the
/// real binary.
@Suite("Cost and budgets (loopback, real binary)", .serialized)
struct CostEndToEndTests {
  static let token = "usage-token-0123456789abcdef"

  static func openRouterYAML(
    simPort: Int, listen: Int = 9478, stateDir: String? = nil, poll: String = "1s"
  )
    -> String
  {
    var y = """
      listen: 127.0.0.1:\(listen)
      window: 1m
      usage_api: {bearer_token: \(token), max_body_bytes: 2KiB}
      budgets:
        - {name: daily, limit_usd: 10, period: day, warn_at: [50%, 80%]}
      providers:
        - name: router
          type: openrouter
          base_url: http://127.0.0.1:\(simPort)/router/v1
          api_key: ${TEST_API_KEY}
          account: {poll_interval: \(poll)}
          checks:
            - kind: models
              interval: 1s
              timeout: 500ms

      """
    if let stateDir { y += "state_dir: \(stateDir)\n" }
    return y
  }

  @Test func accountPollingCountsIncreasesAndTreatsADecreaseAsAReset() async throws {
    try await withSimulator([SimulatedProvider(name: "router", apiKey: testAPIKey)]) {
      sim, simPort in
      let config = try ConfigLoader.parse(
        yaml: Self.openRouterYAML(simPort: simPort), file: "t.yml",
        environment: ["TEST_API_KEY": testAPIKey])
      let a = try await InProcessAgent(
        yaml: Self.openRouterYAML(simPort: simPort),
        environment: ["TEST_API_KEY": testAPIKey])
      let agent = a.agent
      let client = AccountClient(transport: InProcessAgent.probing.prober.transport)
      let poller = AccountPollService(
        clock: a.clock, time: a.time, current: agent.current, cost: agent.cost, client: client,
        logger: Logger(label: "test"))
      let prices = PriceRefreshService(
        clock: a.clock, current: agent.current, cost: agent.cost, client: client,
        logger: Logger(label: "test"))
      let router = config.providers[0]
      for (used, advance) in [(1.0, 0), (1.5, 60), (1.5, 60), (0.25, 60), (0.75, 60)] {
        sim.setCreditUsed(used, for: "router")
        a.clock.advance(by: .seconds(advance))
        await poller.poll(router)
      }
      let view = agent.cost.view(at: a.time.now())
      let account = view.totals.first { $0.key.source == .account }
      #expect(account?.usd == 1.25)  // 0.5 + 0.25 after the reset + 0.5; nothing invented
      #expect(view.providers.first?.costPerHour == 1.25)
      #expect(view.budgets.first?.spent == 1.25)
      #expect(view.accounts.first?.info.limit == 100)
      #expect(view.accounts.first?.info.usageMonthly == 0.75)

      // Prices from GET /models price a usage event that carries no cost.
      #expect(await prices.refreshPrices(router))
      let body =
        #"{"provider":"router","model":"sim-model","input_tokens":1000,"output_tokens":500}"#
      let r = await agent.presenter.ingestUsage(
        body: Array(body.utf8), authorization: "Bearer \(Self.token)")
      #expect(r.status == 200)
      let usage = agent.cost.view(at: a.time.now()).totals.first { $0.key.source == .usage }
      #expect(abs((usage?.usd ?? 0) - (1000 * 0.0000001 + 500 * 0.000002)) < 1e-12)
    }
  }

  @Test func usageAPIMetricsStatusAndRestartWithoutDoubleCounting() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try await withSimulator([SimulatedProvider(name: "router", apiKey: testAPIKey)]) {
      sim, simPort in
      let port = FreePort.find()
      let path = try dir.write(
        "atalaya.yml",
        Self.openRouterYAML(simPort: simPort, listen: port, stateDir: dir.path + "/state"))
      var child = try ChildProcess(
        executable: BuiltProducts.atalaya, arguments: ["run", "--config", path],
        environment: agentEnvironment(), directory: dir.path)
      defer { child.terminate() }
      _ = await poll(port: port, path: "/-/ready") { $0.status == 200 }

      func post(
        _ body: String, auth: String? = "Bearer \(Self.token)",
        type: String = "application/x-ndjson"
      )
        async throws -> TestHTTPClientResponse
      {
        var headers = [("Content-Type", type)]
        if let auth { headers.append(("Authorization", auth)) }
        return try await TestHTTPClient.request(
          "POST", port: port, path: "/api/v1/usage", headers: headers, body: body)
      }
      let good =
        #"{"provider":"app","model":"gpt","input_tokens":10,"output_tokens":5,"cost_usd":0.25,"latency_ms":300}"#
      #expect(try await post(good, auth: nil).status == 401)
      #expect(try await post(good, auth: "Bearer wrong-token-0123456789abcd").status == 401)
      #expect(try await post(good, type: "application/x-www-form-urlencoded").status == 415)
      #expect(try await post(String(repeating: " ", count: 3000) + good).status == 413)

      let batch = [
        good,
        #"{"provider":"app","model":"gpt","input_tokens":"ten","output_tokens":5}"#,
        #"{"provider":"app","model":"gpt","input_tokens":1,"output_tokens":1,"status":"timeout"}"#,
      ].joined(separator: "\n")
      let r = try await post(batch)
      #expect(r.status == 200)
      let answer = try #require(jsonObject(r.text))
      #expect(answer["accepted"] as? Int == 2)
      #expect(answer["rejected"] as? Int == 1)
      let error = try #require(answer.objects("errors")?.first)
      #expect(error["line"] as? Int == 2)
      #expect(error["field"] as? String == "input_tokens")

      let metrics = try #require(
        await poll(port: port, path: "/metrics") {
          sampleValue($0.text, #"atalaya_account_limit_usd{provider="router"}"#) == 100
        }, "stderr: \(child.stderr)")
      let text = metrics.text
      #expect(
        sampleValue(text, #"atalaya_cost_usd_total{provider="app",model="gpt",source="usage"}"#)
          == 0.25)
      #expect(
        sampleValue(
          text, #"atalaya_usage_events_total{provider="app",model="gpt",result="timeout"}"#) == 1)
      #expect(
        sampleValue(text, #"atalaya_usage_window_success_ratio{provider="app",model="gpt"}"#) == 0.5
      )
      #expect(sampleValue(text, #"atalaya_price_missing{provider="app",model="gpt"}"#) == 1)
      #expect(sampleValue(text, #"atalaya_budget_spent_usd{budget="daily"}"#) == 0.25)
      #expect(sampleValue(text, #"atalaya_budget_limit_usd{budget="daily"}"#) == 10)
      #expect(
        sampleValue(text, #"atalaya_account_usage_usd{provider="router",period="total"}"#) == 0.25)
      for family in [
        "atalaya_cost_per_hour_usd", "atalaya_budget_remaining_usd", "atalaya_budget_used_ratio",
        "atalaya_budget_projected_spend_usd", "atalaya_budget_exhaustion_seconds",
        "atalaya_account_limit_remaining_usd", "atalaya_usage_window_latency_seconds",
      ] {
        #expect(text.contains("# TYPE \(family) "), "\(family) missing")
      }
      let promtool = try #require(Subprocess.which("promtool"), "promtool missing")
      let lint = try await Subprocess.run(promtool, ["check", "metrics"], stdin: Array(text.utf8))
      #expect(
        lint.status == 0 && lint.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
        "promtool: \(lint.output)")

      let status = try #require(
        jsonObject(try await TestHTTPClient.request("GET", port: port, path: "/api/v1/status").text)
      )
      let cost = try #require(status.object("cost"))
      let budget = try #require(cost.objects("budgets")?.first)
      #expect(budget["name"] as? String == "daily")
      #expect(budget["spent_usd"] as? Double == 0.25)
      #expect(
        cost.objects("providers")?.first { $0["name"] as? String == "router" }?["source"] as? String
          == "account")

      // Restart: the ledger is saved at shutdown and restored; credits used while the
      // agent was down are counted once (the account baseline survived).
      child.send(SIGTERM)
      #expect(await child.wait(timeout: .seconds(10)) == 0)
      sim.setCreditUsed(sim.creditUsed(for: "router") + 0.5, for: "router")
      child = try ChildProcess(
        executable: BuiltProducts.atalaya, arguments: ["run", "--config", path],
        environment: agentEnvironment(), directory: dir.path)
      let after = try #require(
        await poll(port: port, path: "/metrics") {
          sampleValue($0.text, #"atalaya_account_usage_usd{provider="router",period="total"}"#)
            == 0.75
        }, "stderr: \(child.stderr)")
      #expect(
        sampleValue(
          after.text, #"atalaya_cost_usd_total{provider="app",model="gpt",source="usage"}"#) == 0.25
      )
      #expect(
        sampleValue(
          after.text, #"atalaya_cost_usd_total{provider="router",model="_all",source="account"}"#)
          == 0.5)
      #expect(sampleValue(after.text, #"atalaya_budget_spent_usd{budget="daily"}"#) == 0.25 + 0.5)
    }
  }
}
