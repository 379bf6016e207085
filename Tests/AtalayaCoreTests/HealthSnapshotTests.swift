import AtalayaCore
import Testing

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

@Suite struct HealthSnapshotTests {
  let breakerConfig = CircuitBreakerConfig(
    failureThreshold: 2, resetTimeout: .seconds(60), successThreshold: 1)

  func sampleSnapshot() -> HealthSnapshot {
    var a = CheckHealth(windowLength: .seconds(600), breaker: breakerConfig)
    let idA = CheckID(provider: "openai", model: "gpt-4o-mini")
    for i in 0..<40 {
      let result: ResultClass = i % 7 == 0 ? .timeout : (i % 11 == 0 ? .rateLimited : .success)
      a.record(
        outcome(
          result, at: t0 + .seconds(i * 15), latency: 0.3 + Double(i) / 50, ttft: 0.1,
          usage: TokenUsage(inputTokens: 9, outputTokens: 1, costUSD: 0.00001), check: idA),
        countRateLimited: false, breaker: breakerConfig)
    }
    var b = CheckHealth(windowLength: .seconds(600), breaker: breakerConfig)
    let idB = CheckID(provider: "ollama", model: CheckID.modelsCheckModel)
    for i in 0..<3 {
      b.record(
        outcome(.connect, at: t0 + .seconds(i), latency: nil, check: idB), countRateLimited: false,
        breaker: breakerConfig)
    }
    return HealthSnapshot(
      savedAt: t0 + .seconds(600),
      checks: [
        idA: a, idB: b, CheckID(provider: "x", model: "y"): CheckHealth(windowLength: .seconds(60)),
      ])
  }

  @Test func roundTrip() throws {
    let snapshot = sampleSnapshot()
    let bytes = try snapshot.encode()
    var restored = try HealthSnapshot.decode(bytes)
    // Breaker settings are not saved: restoring applies the current config.
    for id in restored.checks.keys {
      restored.checks[id]!.breaker.config = snapshot.checks[id]!.breaker.config
    }
    #expect(restored == snapshot)
    #expect(restored.version == 1)
    // Deterministic output.
    #expect(try restored.encode() == bytes)
    let idB = CheckID(provider: "ollama", model: CheckID.modelsCheckModel)
    #expect(restored.checks[idB]?.breaker.state(at: t0 + .seconds(2)) == .open)
    #expect(restored.checks[idB]?.breaker.state(at: t0 + .seconds(61)) == .halfOpen)
  }

  @Test func restoredWindowsStayAligned() throws {
    let id = CheckID(provider: "openai", model: "gpt-4o-mini")
    var live = sampleSnapshot().checks[id]!
    var restored = try HealthSnapshot.decode(try sampleSnapshot().encode()).checks[id]!
    // Keep recording on both after the "restart"; they must agree at every instant.
    for i in 40..<80 {
      let o = outcome(.success, at: t0 + .seconds(i * 15), latency: 1 + Double(i) / 100)
      live.record(o, countRateLimited: false, breaker: breakerConfig)
      restored.record(o, countRateLimited: false, breaker: breakerConfig)
      let now = t0 + .seconds(i * 15 + 7)
      #expect(restored.stats(at: now) == live.stats(at: now))
    }
    #expect(restored == live)
  }

  @Test func savedJSONIsReadable() throws {
    let text = String(decoding: try sampleSnapshot().encode(), as: UTF8.self)
    #expect(text.contains(#""format":"atalaya-health""#))
    #expect(text.contains(#""version":1"#))
    #expect(text.contains(#""provider":"openai""#))
    #expect(text.contains(#""rate_limited":"#))
  }

  static let corruptInputs: [(String, HealthSnapshotError)] = [
    ("", .corrupt("empty file")),
    ("[1,2,3]", .foreign("unexpected JSON structure")),
    (#"{"hello":"world"}"#, .foreign(#"no "format": "atalaya-health" marker"#)),
    (#"{"format":"prometheus","version":1}"#, .foreign(#"no "format": "atalaya-health" marker"#)),
    (#"{"format":"atalaya-health","version":2,"savedAt":0,"checks":[]}"#, .unsupportedVersion(2)),
    (#"{"format":"atalaya-health","savedAt":0,"checks":[]}"#, .unsupportedVersion(nil)),
  ]

  @Test func foreignAndWrongVersionFilesThrowClearErrors() {
    for (text, expected) in Self.corruptInputs {
      #expect(throws: expected, "\(text)") { try HealthSnapshot.decode(Array(text.utf8)) }
    }
    #expect(HealthSnapshotError.unsupportedVersion(2).description.contains("version 2"))
  }

  @Test func corruptFilesThrowCorrupt() throws {
    let good = String(decoding: try sampleSnapshot().encode(), as: UTF8.self)
    var inputs: [String] = [
      String(good.prefix(good.count / 2)),  // truncated
      "\u{0}\u{1}garbage",
      #"{"format":"atalaya-health","version":1,"savedAt":0}"#,  // no checks
      #"{"format":"atalaya-health","version":1,"savedAt":"yesterday","checks":[]}"#,
      good.replacing(#""buckets":60"#, with: #""buckets":0"#),
      good.replacing(#""buckets":60"#, with: #""buckets":-5"#),
      good.replacing(#""length":[600,0]"#, with: #""length":[0,0]"#),
      good.replacing(#""le":[0.05,"#, with: #""le":[0.01,"#),
      good.replacing(#""idx":["#, with: #""idx":[9999,"#),
    ]
    // The same check twice.
    let entry = try #require(good.firstRange(of: #"{"check":"#))
    let firstEnd = try #require(good.firstRange(of: #"},{"check":"#))
    let firstEntry = String(good[entry.lowerBound..<firstEnd.lowerBound]) + "}"
    inputs.append(good.replacing(#""checks":["#, with: #""checks":["# + firstEntry + ","))
    for (i, text) in inputs.enumerated() {
      #expect(text != good, "input \(i) must differ from the valid file")
      do {
        _ = try HealthSnapshot.decode(Array(text.utf8))
        Issue.record("input \(i) decoded")
      } catch let error as HealthSnapshotError {
        guard case .corrupt(let reason) = error else {
          Issue.record("input \(i): \(error)")
          continue
        }
        #expect(!reason.isEmpty)
      } catch {
        Issue.record("input \(i): unexpected \(error)")
      }
    }
  }

  @Test func randomBytesNeverTrap() {
    var rng = SplitMix64(seed: 9)
    for n in [1, 2, 16, 300] {
      let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
      #expect(throws: HealthSnapshotError.self) { try HealthSnapshot.decode(bytes) }
    }
  }
}
