import AtalayaTestSupport
import Foundation
import Testing

/// `atalaya check` prints the probe spend estimate and refuses a config over its limit.
@Suite("atalaya check: probe spend (real binary)")
struct CostCommandLineTests {
  static func yaml(limit: String) -> String {
    """
    providers:
      - name: paid
        type: openai
        base_url: http://127.0.0.1:1/v1
        api_key: ${TEST_API_KEY}
        interval: 10s
        timeout: 5s
        checks:
          - model: gpt-4o
            max_tokens: 20
      - name: local
        type: ollama
        checks:
          - model: llama3
    pricing:
      gpt-4o: {input_per_mtok: 2.5, output_per_mtok: 10}
    probe_budget_per_hour: \(limit)

    """
  }

  func check(_ yaml: String) async throws -> (code: Int32?, stdout: String, stderr: String) {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let path = try dir.write("a.yml", yaml)
    let child = try ChildProcess(
      executable: BuiltProducts.atalaya, arguments: ["check", "--config", path],
      environment: agentEnvironment(), directory: dir.path)
    let code = await child.wait(timeout: .seconds(30))
    return (code, child.stdout, child.stderr)
  }

  @Test func printsTheEstimateAndRefusesAConfigOverTheLimit() async throws {
    // 360 probes/h × (12 × 2.5 + 20 × 10) / 1e6 = $0.0828/h
    let ok = try await check(Self.yaml(limit: "0.50"))
    #expect(ok.code == 0, "\(ok.stderr)")
    #expect(
      ok.stdout.contains("Estimated probe spend: $0.0828/hour (limit $0.5000/hour)"), "\(ok.stdout)"
    )
    #expect(ok.stdout.contains("paid/gpt-4o: $0.0828/hour (360 probes/hour)"))

    let refused = try await check(Self.yaml(limit: "0.05"))
    #expect(refused.code == 1)
    #expect(
      refused.stderr.contains(
        "probe_budget_per_hour: estimated probe spend $0.0828/hour exceeds probe_budget_per_hour $0.0500: "
          + "paid/gpt-4o $0.0828/h (360 probes/h)"), "\(refused.stderr)")
    #expect(!refused.stderr.contains(testAPIKey))
  }
}
