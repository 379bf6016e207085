import Testing

@Test func placeholderProbingTests() { #expect(Bool(true)) }
