extension ResultClass {
  /// Position in `allCases`; used to index fixed per-result arrays.
  var ordinal: Int {
    // allCases is tiny (14); a linear scan is cheaper than a dictionary lookup.
    Self.allCases.firstIndex(of: self)!
  }
}
