import AtalayaCore

/// `atalaya silence list`: one row per silence, as amtool prints them.
public enum SilenceTable {
  public static func render(_ records: [SilenceRecord], at now: Timestamp) -> String {
    var rows = [["ID", "STATE", "MATCHERS", "STARTS", "ENDS", "CREATED BY", "COMMENT"]]
    for r in records {
      rows.append([
        r.id, r.state(at: now).rawValue,
        r.matchers.map(\.description).joined(separator: " ").replacingNewlines,
        RFC3339.formatWholeSeconds(r.startsAt), RFC3339.formatWholeSeconds(r.endsAt),
        r.createdBy.replacingNewlines, String(r.comment.prefix(60)).replacingNewlines,
      ])
    }
    var widths = [Int](repeating: 0, count: rows[0].count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    return rows.map { row in
      row.enumerated().map { i, cell in
        i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
      }.joined()
    }.joined(separator: "\n")
  }
}

extension String {
  /// Control characters (newlines, escape sequences) shown as spaces: a comment cannot
  /// move the cursor or recolour the operator's terminal.
  fileprivate var replacingNewlines: String {
    String(
      String.UnicodeScalarView(
        unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? " " : $0 }))
  }
}
