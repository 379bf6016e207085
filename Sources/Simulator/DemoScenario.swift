import AtalayaCore

/// The five providers `atalaya demo` watches, and the config it runs with.
public enum DemoScenario {
  /// The API key every demo provider expects (not a secret).
  public static let apiKey = "demo-key"

  /// `steady` (healthy), `flaky` (~20% errors), `sluggish` (2.5 s, above the 2 s `slow`),
  /// `blinky` (down 60 s of every 180 s), `throttled` (every 3rd request rate-limited).
  public static func providers() -> [SimulatedProvider] {
    [
      SimulatedProvider(
        name: "steady", type: .openai, behavior: .healthy(latency: .milliseconds(180)),
        apiKey: apiKey),
      SimulatedProvider(
        name: "flaky", type: .openai, behavior: .flaky(errorRate: 0.2, latency: .milliseconds(350)),
        apiKey: apiKey),
      SimulatedProvider(
        name: "sluggish", type: .openai, behavior: .slow(latency: .milliseconds(2500)),
        apiKey: apiKey),
      SimulatedProvider(
        name: "blinky", type: .openai,
        behavior: .periodicOutage(every: .seconds(180), down: .seconds(60)), apiKey: apiKey),
      SimulatedProvider(
        name: "throttled", type: .openai, behavior: .rateLimited(every: 3), apiKey: apiKey),
    ]
  }

  /// The demo's admin bearer token (loopback only): `ATALAYA_ADMIN_TOKEN=demo-admin-token`.
  public static let adminToken = "demo-admin-token"

  /// `steady` is configured as `type: openrouter`, so the agent polls its credits
  /// (`/steady/v1/key`) and fetches its prices (`/steady/v1/models`); the others are
  /// priced by the `pricing:` entry. The `demo-daily` budget ($1 a day) shows burn.
  ///
  /// Alerting is on with a console receiver, so firing and resolved alerts show up
  /// in the demo's output within a few minutes (blinky goes down every 3 minutes).
  ///
  /// The YAML config of the demo: the agent listens on `127.0.0.1:<port>` and probes the
  /// simulator on `127.0.0.1:<simulatorPort>` every 5 s.
  ///
  /// The silences API is open for writes with ``adminToken``; a maintenance window for
  /// `sluggish` starts at `maintenanceStart` (minutes after midnight UTC, usually the
  /// demo's start) and lasts 30 minutes, so its slow-response alert stays muted.
  public static func config(port: Int, simulatorPort: Int, maintenanceStart: Int = 0) -> String {
    let hour = maintenanceStart / 60 % 24
    let minute = maintenanceStart % 60
    let start = (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    var yaml = """
      listen: 127.0.0.1:\(port)
      admin_api:
        bearer_token: \(adminToken)
      window: 2m
      defaults:
        interval: 5s
        timeout: 4s
      circuit_breaker:
        failure_threshold: 3
        reset_timeout: 20s
        success_threshold: 2
      pricing:
        sim-model: {input_per_mtok: 0.10, output_per_mtok: 2.00}
      budgets:
        - name: demo-daily
          limit_usd: 1
          period: day
          warn_at: [50%, 80%]
      incidents:
        close_after: 30s
      routes:
        - name: demo-chat
          candidates: [blinky/sim-model, steady/sim-model, flaky/sim-model]
      slos:
        - name: blinky-availability
          target: 99%
          period: 1d
          providers: [blinky]
      alerting:
        evaluation_interval: 5s
        repeat_interval: 10m
        rules:
          - alert: LLMProviderDown
            expr: provider_down == 1
            for: 10s
            severity: critical
          - alert: LLMHighErrorRate
            expr: error_rate > 10%
            for: 30s
            severity: warning
          - alert: LLMSlowResponses
            expr: latency_p95 > 2s
            for: 20s
            severity: warning
        receivers:
          - {name: console, type: console}
        maintenance:
          - name: sluggish-upgrade
            start: "\(start)"
            duration: 30m
            matchers: ['provider="sluggish"']
            comment: the demo's planned work on sluggish
      providers:

      """
    for provider in providers() {
      let openRouter = provider.name == "steady"
      yaml += """
          - name: \(provider.name)
            type: \(openRouter ? "openrouter" : "openai")
            base_url: http://127.0.0.1:\(simulatorPort)/\(provider.name)/v1
            api_key: \(apiKey)
            checks:
              - model: sim-model
                kind: chat
                max_tokens: 8
                stream: \(provider.name == "steady")
                slow: 2s

        """
      if openRouter {
        yaml += """
                - kind: models
                  expect: [sim-model, sim-model-retired]
              account: {poll_interval: 10s}

          """
      }
    }
    return yaml
  }
}
