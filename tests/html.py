"""Small readers of rendered HTML for tests: the text of elements, and a form's values as a browser sends them."""

from html.parser import HTMLParser


class _TextCollector(HTMLParser):
    def __init__(self, tags):
        super().__init__()
        self.tags = tags
        self.found = []
        self._open = []

    def handle_starttag(self, tag, attrs):
        if tag in self.tags:
            self._open.append([tag, ""])

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            self.found.append(tuple(self._open.pop()))

    def handle_data(self, data):
        for element in self._open:
            element[1] += data


def texts(html, *tags):
    """(tag, text) for every element with one of these tags, in document order of their ends."""
    collector = _TextCollector(set(tags))
    collector.feed(html)
    return collector.found


class _FormCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.data = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
                return
            self.data.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.setdefault(self._select, []).append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # Browsers drop the newline that may follow <textarea>; so does this.
            value = self.data[self._textarea][-1]
            self.data[self._textarea][-1] = value.removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_values(html):
    """Every field of the page's forms, as the browser would submit them unchanged (lists for repeats)."""
    collector = _FormCollector()
    collector.feed(html)
    return {name: values if len(values) > 1 else values[0] for name, values in collector.data.items()}
