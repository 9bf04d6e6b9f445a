/// Left-aligned columns for the terminal formats.
///
/// Widths are measured on the plain text (before colour), in Characters; a column's width is
/// capped so one long package name does not push every other row off screen (the long cell
/// simply overflows). The last column is never padded and trailing spaces are dropped, so lines
/// carry none, even when the last cell is empty.
struct TextColumns {
    struct Cell {
        var text: String
        var style: Paint.Style?
        init(_ text: String, _ style: Paint.Style? = nil) { self.text = text; self.style = style }
    }

    var rows: [[Cell]] = []
    var maxWidth = 40

    mutating func add(_ cells: [Cell]) { rows.append(cells) }

    func render(indent: String, paint: Paint) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() where i < row.count - 1 {
                widths[i] = min(maxWidth, max(widths[i], cell.text.count))
            }
        }
        return rows.map { row in
            var line = indent
            for (i, cell) in row.enumerated() {
                let isLast = i == row.count - 1
                line += paint(cell.text, cell.style)
                if !isLast {
                    line += String(repeating: " ", count: max(0, widths[i] - cell.text.count) + 2)
                }
            }
            // An empty last cell would leave the padding of the one before it.
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
