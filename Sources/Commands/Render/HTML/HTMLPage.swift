/// A whole self-contained page: `<!DOCTYPE html>`, the title, the page's CSS inline
/// (`HTMLStyle.css`), and the body. Nothing is fetched: no script, font, image or stylesheet
/// from elsewhere, so the file reads the same offline, attached to a ticket, or printed.
///
/// ```swift
/// HTMLPage(title: "pgadvisor diff — shop", body: [.element("h1", text: "…"), table.html]).render()
/// ```
struct HTMLPage {
    var title: String
    var body: [HTML]

    /// The page as text, ending with a newline. Deterministic: the same body gives the same bytes.
    func render() -> String {
        let head = HTML.join([
            .element("meta", ["charset": "utf-8"]),
            .element("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
            .element("meta", ["name": "color-scheme", "content": "light"]),
            .element("title", text: title),
            HTML(trusted: "<style>\n" + HTMLStyle.css + "</style>"),
        ])
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n\(head.markup)\n</head>\n<body>\n<main>\n"
            + HTML.join(body).markup + "\n</main>\n</body>\n</html>\n"
    }
}
