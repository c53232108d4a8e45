/// A minimal SVG writer: shapes with numbers rounded to 0.1 px and text escaped.
struct SVGText {
    let widthPx: Double
    let heightPx: Double
    private var body = ""

    init(widthPx: Double, heightPx: Double) {
        self.widthPx = widthPx
        self.heightPx = heightPx
    }

    /// A number with at most one decimal, no trailing `.0`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        if tenths.truncatingRemainder(dividingBy: 10) == 0 { return String(Int(tenths / 10)) }
        return String(tenths / 10)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func points(_ points: [(x: Double, y: Double)]) -> String {
        points.map { "\(number($0.x)),\(number($0.y))" }.joined(separator: " ")
    }

    /// One element: `<name a="v" ...>content</name>`, or self-closed without content.
    mutating func element(_ name: String, _ attributes: [(String, String)], content: String? = nil) {
        body += "<" + name
        for (key, value) in attributes { body += " \(key)=\"\(Self.escape(value))\"" }
        if let content {
            body += ">" + Self.escape(content) + "</" + name + ">\n"
        } else {
            body += "/>\n"
        }
    }

    mutating func rect(x: Double, y: Double, w: Double, h: Double, fill: String, stroke: String) {
        element(
            "rect",
            [
                ("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(w)), ("height", Self.number(h)),
                ("fill", fill), ("stroke", stroke),
            ])
    }

    mutating func polyline(
        _ points: [(x: Double, y: Double)], stroke: String, widthPx: Double, opacity: Double, cssClass: String
    ) {
        guard points.count >= 2 else { return }
        element(
            "polyline",
            [
                ("class", cssClass), ("points", Self.points(points)), ("fill", "none"), ("stroke", stroke),
                ("stroke-width", Self.number(widthPx)), ("stroke-opacity", "\(opacity)"),
                ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
            ])
    }

    mutating func polygon(_ points: [(x: Double, y: Double)], fill: String, stroke: String, cssClass: String) {
        guard points.count >= 3 else { return }
        element(
            "polygon",
            [
                ("class", cssClass), ("points", Self.points(points)), ("fill", fill), ("fill-opacity", "0.45"),
                ("stroke", stroke), ("stroke-width", "1"),
            ])
    }

    mutating func circle(x: Double, y: Double, r: Double, fill: String, stroke: String, cssClass: String) {
        element(
            "circle",
            [
                ("class", cssClass), ("cx", Self.number(x)), ("cy", Self.number(y)), ("r", Self.number(r)),
                ("fill", fill), ("stroke", stroke),
            ])
    }

    mutating func text(_ text: String, x: Double, y: Double, sizePx: Double, fill: String) {
        element(
            "text",
            [
                ("x", Self.number(x)), ("y", Self.number(y)), ("font-family", "sans-serif"),
                ("font-size", Self.number(sizePx)), ("fill", fill),
            ], content: text)
    }

    func document() -> String {
        let (w, h) = (Self.number(widthPx), Self.number(heightPx))
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\">\n"
            + body + "</svg>\n"
    }
}
