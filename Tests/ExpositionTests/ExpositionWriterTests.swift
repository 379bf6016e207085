import AtalayaCore
import Exposition
import Testing

@Suite struct ExpositionWriterTests {
  let gauge = MetricFamily(name: "t_value", help: "A test gauge.", type: .gauge)
  let labelled = MetricFamily(
    name: "t_labelled", help: "Labelled.", type: .gauge, labelNames: ["a", "b"])

  private func render(_ value: Double) -> String {
    var writer = ExpositionWriter()
    writer.sample(gauge, value: value)
    return String(writer.text.split(separator: "\n").last!.dropFirst("t_value ".count))
  }

  @Test func numbersArePrometheusStyle() {
    #expect(render(0) == "0")
    #expect(render(-0.0) == "0")
    #expect(render(1) == "1")
    #expect(render(42) == "42")
    #expect(render(-3) == "-3")
    #expect(render(200) == "200")
    #expect(render(1_234_567_890_123) == "1234567890123")
    #expect(render(0.05) == "0.05")
    #expect(render(1.5) == "1.5")
    #expect(render(-2.25) == "-2.25")
    #expect(render(0.1 + 0.2) == "0.30000000000000004")
    // Longer than a small String: the digits go straight into the line.
    #expect(render(2.0 / 3.0) == "0.6666666666666666")
    #expect(render(-2.2250738585072014e-308) == "-2.2250738585072014e-308")
    #expect(render(-.greatestFiniteMagnitude) == "-1.7976931348623157e+308")
    #expect(render(1e-5) == "1e-05")
    #expect(render(1e20) == "1e+20")
    #expect(render(.nan) == "NaN")
    #expect(render(.infinity) == "+Inf")
    #expect(render(-.infinity) == "-Inf")
    for value in [0.123456789, 3.14159, 1e-9, 987654.321, 7.0e15] {
      #expect(Double(render(value)) == value)
    }
  }

  @Test func decimalFastPathMatchesShortestRepresentation() {
    var generator = SplitMix64(seed: 0x5EED)
    for decimals in 1...11 {
      var scale = 1.0
      for _ in 0..<decimals { scale *= 10 }
      for _ in 0..<2_000 {
        let mantissa = generator.next() % 1_000_000_000_000
        for value in [Double(mantissa) / scale, -Double(mantissa % 100_000) / scale] {
          #expect(
            render(value) == (value == value.rounded() ? "\(Int64(value))" : value.description))
        }
      }
    }
    for _ in 0..<20_000 {
      let value = Double(bitPattern: generator.next() % Double(1e9).bitPattern)
      #expect(render(value) == (value == value.rounded() ? "\(Int64(value))" : value.description))
    }
  }

  @Test func headerOnceThenSamples() {
    var writer = ExpositionWriter()
    writer.family(labelled)
    writer.sample(labelled, "x", "y", value: 1)
    writer.family(labelled)
    writer.sample(labelled, labelValues: ["x", "z"], value: 2)
    writer.sample(gauge, value: 3)
    #expect(
      writer.text == """
        # HELP t_labelled Labelled.
        # TYPE t_labelled gauge
        t_labelled{a="x",b="y"} 1
        t_labelled{a="x",b="z"} 2
        # HELP t_value A test gauge.
        # TYPE t_value gauge
        t_value 3

        """)
  }

  @Test func labelValuesAreEscaped() {
    var writer = ExpositionWriter()
    writer.sample(labelled, "quote\" back\\slash", "new\nline ünï ✓", value: 1)
    let line = writer.text.split(separator: "\n").last.map(String.init)
    #expect(line == #"t_labelled{a="quote\" back\\slash",b="new\nline ünï ✓"} 1"#)
  }

  @Test func helpTextIsEscaped() {
    let family = MetricFamily(
      name: "t_help", help: "Line one\nback\\slash and \"quotes\" kept", type: .counter)
    var writer = ExpositionWriter()
    writer.family(family)
    #expect(
      writer.text
        == "# HELP t_help Line one\\nback\\\\slash and \"quotes\" kept\n# TYPE t_help counter\n")
  }

  @Test func counterUsesItsFullNameEverywhere() {
    var writer = ExpositionWriter()
    writer.sample(Catalogue.probesTotal, "openai", "gpt-4o", "success", value: 7)
    #expect(
      writer.text == """
        # HELP atalaya_probes_total Probes run, by result class.
        # TYPE atalaya_probes_total counter
        atalaya_probes_total{provider="openai",model="gpt-4o",result="success"} 7

        """)
  }

  @Test func histogramWritesBucketsSumAndCount() {
    let family = MetricFamily(
      name: "t_seconds", help: "H.", type: .histogram, labelNames: ["p"], buckets: [0.1, 1, 2.5])
    var writer = ExpositionWriter()
    writer.histogram(family, labelValues: ["x"], cumulativeCounts: [1, 3, 3], sum: 2.75, count: 4)
    #expect(
      writer.text == """
        # HELP t_seconds H.
        # TYPE t_seconds histogram
        t_seconds_bucket{p="x",le="0.1"} 1
        t_seconds_bucket{p="x",le="1"} 3
        t_seconds_bucket{p="x",le="2.5"} 3
        t_seconds_bucket{p="x",le="+Inf"} 4
        t_seconds_sum{p="x"} 2.75
        t_seconds_count{p="x"} 4

        """)
  }

  @Test func histogramTwoLabelOverloadUsesFamilyBuckets() {
    var writer = ExpositionWriter()
    let family = Catalogue.probeDurationSeconds
    let counts = family.buckets.indices.map { UInt64($0) }
    writer.histogram(family, "openai", "gpt-4o", cumulativeCounts: counts, sum: 0.5, count: 20)
    let lines = writer.text.split(separator: "\n")
    #expect(lines.count == 2 + family.buckets.count + 3)
    #expect(
      lines[2]
        == #"atalaya_probe_duration_seconds_bucket{provider="openai",model="gpt-4o",le="0.05"} 0"#)
    #expect(
      lines[13]
        == #"atalaya_probe_duration_seconds_bucket{provider="openai",model="gpt-4o",le="120"} 11"#)
    #expect(
      lines[14]
        == #"atalaya_probe_duration_seconds_bucket{provider="openai",model="gpt-4o",le="+Inf"} 20"#)
    #expect(
      lines[16] == #"atalaya_probe_duration_seconds_count{provider="openai",model="gpt-4o"} 20"#)
  }

  @Test func labelSetsWriteTheSameLinesAsLabelValues() {
    let values = ["quote\" back\\slash", "new\nline ünï ✓"]
    let set = LabelSet(names: ["provider", "model"], values: values)
    #expect(set.text == #"provider="quote\" back\\slash",model="new\nline ünï ✓""#)
    var bySet = ExpositionWriter()
    var byValues = ExpositionWriter()
    bySet.sample(Catalogue.probeSuccess, set, value: 1)
    byValues.sample(Catalogue.probeSuccess, values[0], values[1], value: 1)
    bySet.sample(Catalogue.probesTotal, set, "success", value: 7)
    byValues.sample(Catalogue.probesTotal, values[0], values[1], "success", value: 7)
    bySet.sample(Catalogue.probePhaseSeconds, set, "a\"b", value: 0.25)
    byValues.sample(Catalogue.probePhaseSeconds, values[0], values[1], "a\"b", value: 0.25)
    // A value escaped once (LabelValue) writes what escaping it at each line writes.
    let kept = LabelValue("c\\d\"e\nf")
    bySet.sample(Catalogue.probePhaseSeconds, set, kept, value: 0.5)
    byValues.sample(Catalogue.probePhaseSeconds, values[0], values[1], kept.value, value: 0.5)
    let family = Catalogue.probeDurationSeconds
    let perBucket = family.buckets.indices.map { UInt64($0 % 3) }
    let cumulative = perBucket.indices.map { perBucket[...$0].reduce(0, +) }
    bySet.histogram(family, set, bucketCounts: perBucket + [4], sum: 0.5, count: 20)
    byValues.histogram(
      family, values[0], values[1], cumulativeCounts: cumulative, sum: 0.5, count: 20)
    #expect(bySet.text == byValues.text)
    #expect(bySet.text.contains(#"atalaya_probes_total{provider="quote\" back"#))
    #expect(bySet.text.contains(#"phase="c\\d\"e\nf"} 0.5"#))
  }

  @Test func anEmptyLabelSetWritesEmptyValues() {
    let set = LabelSet(names: ["a", "b"], values: ["", ""])
    var writer = ExpositionWriter()
    writer.sample(labelled, set, value: 1)
    #expect(writer.text.hasSuffix("t_labelled{a=\"\",b=\"\"} 1\n"))
  }

  @Test func histogramWithoutLabels() {
    let family = MetricFamily(name: "t_bare_seconds", help: "H.", type: .histogram, buckets: [1])
    var writer = ExpositionWriter()
    writer.histogram(
      family, labelValues: [], cumulativeCounts: [18_446_744_073_709_551_615], sum: 1,
      count: 18_446_744_073_709_551_615)
    #expect(writer.text.contains("t_bare_seconds_bucket{le=\"1\"} 18446744073709551615\n"))
    #expect(
      writer.text.contains("t_bare_seconds_sum 1\nt_bare_seconds_count 18446744073709551615\n"))
  }

  @Test func resetKeepsCapacityAndRendersTheSameAgain() {
    var writer = renderCatalogue()
    let first = writer.bytes
    let capacity = writer.capacity
    writer.reset()
    #expect(writer.bytes.isEmpty)
    #expect(writer.count == 0)
    writer.sample(labelled, "a", "b", value: 1)
    #expect(writer.capacity == capacity)
    #expect(writer.text.hasPrefix("# HELP t_labelled"))
    writer = renderCatalogue()
    // Same structure; only the process metrics can differ between renderings.
    #expect(
      writer.text.split(separator: "\n").count
        == String(decoding: first, as: UTF8.self).split(separator: "\n").count)
  }

  /// A piece handed out by `flush` is a slice of the writer's buffer: one kept after it must
  /// keep its bytes while the writer goes on (the buffer copies itself first).
  @Test func aPieceKeptAfterFlushKeepsItsBytes() async {
    var writer = ExpositionWriter(capacity: 256)
    writer.sample(labelled, "a", "b", value: 1)
    var kept: ArraySlice<UInt8> = []
    await writer.flush { kept = $0 }
    let text = String(decoding: kept, as: UTF8.self)
    #expect(writer.count == 0)
    for i in 0..<100 { writer.sample(labelled, "c\(i)", "d", value: 2) }
    #expect(String(decoding: kept, as: UTF8.self) == text)
    #expect(text.hasSuffix("t_labelled{a=\"a\",b=\"b\"} 1\n"))
    #expect(writer.text.hasPrefix("t_labelled{a=\"c0\""))
    #expect(writer.capacity >= writer.count)
  }

  @Test func contentTypeIsTextFormat004() {
    #expect(ExpositionWriter.contentType == "text/plain; version=0.0.4; charset=utf-8")
  }
}

@Suite struct CatalogueTests {
  @Test func namesAreUniqueAndCountersEndInTotal() {
    let names = Catalogue.all.map(\.name)
    #expect(Set(names).count == names.count)
    for family in Catalogue.all {
      #expect((family.type == .counter) == family.name.hasSuffix("_total"), "\(family.name)")
      #expect(!family.help.isEmpty)
    }
    #expect(Catalogue.all.count == 59)
  }

  @Test func labelsFollowTheSpecification() {
    #expect(Catalogue.probePhaseSeconds.labelNames == ["provider", "model", "phase"])
    #expect(Catalogue.windowLatencySeconds.labelNames == ["provider", "model", "quantile"])
    #expect(Catalogue.providerStatus.labelNames == ["provider", "status"])
    #expect(Catalogue.tokensTotal.labelNames == ["provider", "model", "direction"])
    #expect(Catalogue.buildInfo.labelNames == ["version"])
    #expect(
      Catalogue.probeDurationSeconds.buckets == [
        0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120,
      ])
    for phase in ["dns", "connect", "tls", "first_byte", "total"] {
      #expect(Catalogue.probePhaseSeconds.help.contains(phase))
    }
  }
}
