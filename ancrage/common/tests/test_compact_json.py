"""`compact_json_script` keeps json_script's safety with fewer bytes."""

import json

from ancrage.common.templatetags.compact_json import compact_json_script


def test_it_cannot_close_its_script_element_and_keeps_accents_as_utf8():
    value = {"text": "</script><script>alert(1)</script> & é", "n": [1, 2]}
    html = compact_json_script(value, "props")
    assert html.startswith('<script id="props" type="application/json">{"text":')
    assert html.count("</script>") == 1
    assert "é" in html
    assert "\\u00e9" not in html
    assert ", " not in html
    body = html.removeprefix('<script id="props" type="application/json">').removesuffix(
        "</script>"
    )
    assert json.loads(body) == value
