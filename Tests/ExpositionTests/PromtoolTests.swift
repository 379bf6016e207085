import AtalayaTestSupport
import Exposition
import Testing

/// Renders every catalogue family with sample data, tricky label values included
/// (the process families from the real process).
func renderCatalogue() -> ExpositionWriter {
  var writer = ExpositionWriter(capacity: 4096)
  let pool = ["openai", "gpt-4o-mini", "we\"ird\\name\nwith newline", "ünïcødé ✓ 日本", "", "ollama"]
  for family in Catalogue.all where !family.name.hasPrefix("process_") {
    for series in 0..<2 {
      let labels = family.labelNames.enumerated().map { index, name -> String in
        switch name {
        case "phase": Catalogue.phases[series]
        case "quantile": Catalogue.windowQuantiles[series]
        case "direction": Catalogue.tokenDirections[series]
        default: pool[(series * 2 + index) % pool.count]
        }
      }
      let value = series == 0 ? 0.25 : 42
      switch (family.type, labels.count) {
      case (.histogram, _):
        let counts = family.buckets.indices.map { UInt64($0 + series) }
        writer.histogram(
          family, labelValues: labels, cumulativeCounts: counts, sum: 12.5, count: counts.last! + 1)
      case (_, 0):
        if series == 0 { writer.sample(family, value: value) }
      case (_, 1): writer.sample(family, labels[0], value: value)
      case (_, 2): writer.sample(family, labels[0], labels[1], value: value)
      case (_, 3): writer.sample(family, labels[0], labels[1], labels[2], value: value)
      default: writer.sample(family, labelValues: labels, value: value)
      }
    }
  }
  ProcessMetrics.write(into: &writer)
  return writer
}

@Suite struct PromtoolTests {
  @Test func everyCatalogueFamilyPassesPromtool() async throws {
    let writer = renderCatalogue()
    let text = writer.text
    for family in Catalogue.all {
      #expect(
        text.contains("# TYPE \(family.name) \(family.type.rawValue)\n"), "missing \(family.name)")
    }
    #expect(text.contains(#"provider="we\"ird\\name\nwith newline""#))
    #expect(text.contains("ünïcødé ✓ 日本"))

    let result = try await promtoolCheck(writer.bytes)
    #expect(result.status == 0, "promtool failed: \(result.output)\n\(text)")
    #expect(result.output.isEmpty, "promtool reported problems: \(result.output)")
  }

  @Test func duplicateFamilyMakesPromtoolFail() async throws {
    var first = ExpositionWriter()
    first.sample(Catalogue.probeSuccess, "openai", "gpt-4o", value: 1)
    var second = ExpositionWriter()
    second.sample(Catalogue.probeSuccess, "anthropic", "claude", value: 0)
    let result = try await promtoolCheck(first.bytes + second.bytes)
    #expect(result.status != 0)
    #expect(!result.output.isEmpty)
  }

  @Test func lintProblemsAreReported() async throws {
    // A counter without _total is a lint problem: promtool must say so.
    let text = "# HELP atalaya_things Things.\n# TYPE atalaya_things counter\natalaya_things 1\n"
    let result = try await promtoolCheck(Array(text.utf8))
    #expect(result.status != 0)
    #expect(result.output.contains("_total"))
  }
}
