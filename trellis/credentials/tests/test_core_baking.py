"""OB 3.0 baking of PNG and SVG badges, and the server-drawn badge artwork (pure core)."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image, PngImagePlugin

from trellis.credentials.core.artwork import badge_png, badge_svg, palette
from trellis.credentials.core.baking import (
    PNG_SIGNATURE,
    SVG_NAMESPACE,
    bake_png,
    bake_svg,
    unbake_png,
    unbake_svg,
)
from trellis.credentials.core.errors import CredentialError

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "standards" / "samples"
CREDENTIAL = {"id": "https://trellis.example/credentials/1", "name": "Effective Feedback — ✓"}
COMPACT = '{"id":"https://trellis.example/credentials/1","name":"Effective Feedback — ✓"}'
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiJ4In0.c2lnbmF0dXJl"
SVG_NS = "http://www.w3.org/2000/svg"


def sample(name: str) -> dict:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return json.loads(path.read_text(encoding="utf-8"))


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    found, position = [], len(PNG_SIGNATURE)
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        found.append((kind, png[position + 8 : position + 8 + length]))
        position += 12 + length
    return found


@pytest.fixture(scope="module")
def png() -> bytes:
    return badge_png("Effective Feedback", "Northfield Public Schools", "northfield/feedback")


# --- PNG ---------------------------------------------------------------------------------------


def test_bake_png_adds_one_uncompressed_itxt_chunk_before_iend(png):
    baked = bake_png(png, CREDENTIAL)
    kinds = [kind for kind, _ in chunks(baked)]
    assert kinds[-2:] == [b"iTXt", b"IEND"]
    assert kinds.count(b"iTXt") == 1
    data = dict(chunks(baked))[b"iTXt"]
    assert data == b"openbadgecredential\x00\x00\x00\x00\x00" + COMPACT.encode("utf-8")
    assert unbake_png(baked) == COMPACT
    # An independent reader (Pillow) sees the same text and the image is intact.
    image = Image.open(io.BytesIO(baked))
    image.load()
    assert image.text["openbadgecredential"] == COMPACT
    assert image.size == (400, 400)


def test_rebaking_a_png_replaces_the_credential(png):
    baked = bake_png(bake_png(png, CREDENTIAL), JWT)
    assert [kind for kind, _ in chunks(baked)].count(b"iTXt") == 1
    assert unbake_png(baked) == JWT
    assert bake_png(baked, CREDENTIAL) == bake_png(png, CREDENTIAL)


def test_bake_png_accepts_json_text_and_a_1edtech_sample(png):
    assert unbake_png(bake_png(png, json.dumps(CREDENTIAL, indent=2))) == COMPACT
    credential = sample("ob30/simple.json")
    assert json.loads(unbake_png(bake_png(png, credential))) == credential


def test_unbake_png_without_a_credential_is_none(png):
    assert unbake_png(png) is None


def test_unbake_png_reads_a_compressed_chunk_written_by_pillow(png):
    info = PngImagePlugin.PngInfo()
    info.add_itxt("openbadgecredential", COMPACT, zip=True)
    out = io.BytesIO()
    Image.open(io.BytesIO(png)).save(out, format="PNG", pnginfo=info)
    assert unbake_png(out.getvalue()) == COMPACT


@pytest.mark.parametrize(
    ("credential", "message"),
    [
        ("not a credential", "Only a credential JSON object or a VC-JWT can be baked"),
        ("[1, 2]", "Only a credential JSON object or a VC-JWT can be baked"),
        (42, "Only a credential JSON object or a VC-JWT can be baked"),
    ],
)
def test_bake_png_refuses_what_is_not_a_credential(png, credential, message):
    with pytest.raises(CredentialError, match=message):
        bake_png(png, credential)


def test_bad_pngs_are_refused(png):
    damaged = bytearray(png)
    damaged[len(PNG_SIGNATURE) + 10] ^= 0xFF  # inside the IHDR data
    cases = [
        (b"GIF89a....", "The image is not a PNG file."),
        ("text", "The image is not a PNG file."),
        (PNG_SIGNATURE, "The PNG file does not start with an IHDR chunk."),
        (png[:-20], "The PNG file is truncated."),
        (png[:-12], "The PNG file has no IEND chunk"),
        (bytes(damaged), "The PNG file is damaged (bad checksum in a 'IHDR' chunk)."),
    ]
    for data, message in cases:
        with pytest.raises(CredentialError) as caught:
            unbake_png(data)
        assert str(caught.value).startswith(message), (data[:12], str(caught.value))
        with pytest.raises(CredentialError):
            bake_png(data, CREDENTIAL)


def test_a_malformed_credential_chunk_is_reported(png):
    body = b"openbadgecredential\x00\x00"
    bad_chunk = struct.pack(">I", len(body)) + b"iTXt" + body
    bad_chunk += struct.pack(">I", zlib.crc32(b"iTXt" + body))
    baked = png[:-12] + bad_chunk + png[-12:]
    with pytest.raises(CredentialError, match="openbadgecredential chunk is malformed"):
        unbake_png(baked)


# --- SVG ---------------------------------------------------------------------------------------


def test_bake_svg_declares_the_namespace_and_embeds_json_in_cdata():
    svg = badge_svg("Effective Feedback", "Northfield", "seed")
    baked = bake_svg(svg, CREDENTIAL)
    assert f'xmlns:openbadges="{SVG_NAMESPACE}"' in baked.split(">", 1)[0]
    assert f"<openbadges:credential><![CDATA[{COMPACT}]]></openbadges:credential>" in baked
    root = etree.fromstring(baked.encode())
    assert [etree.QName(child).localname for child in root][:3] == ["title", "desc", "credential"]
    assert unbake_svg(baked) == COMPACT


def test_bake_svg_with_a_jwt_uses_the_verify_attribute_and_rebaking_replaces():
    svg = badge_svg("Effective Feedback", "", "seed")
    baked = bake_svg(bake_svg(svg, CREDENTIAL), JWT)
    assert baked.count("openbadges:credential") == 1
    assert f'<openbadges:credential verify="{JWT}"/>' in baked
    assert unbake_svg(baked) == JWT
    assert bake_svg(baked, CREDENTIAL) == bake_svg(svg, CREDENTIAL)


def test_bake_svg_keeps_an_existing_prefix_and_content():
    svg = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{SVG_NAMESPACE}" viewBox="0 0 10 10">'
        '<!-- art --><rect width="10" height="10"/></svg>'
    )
    baked = bake_svg(svg, {"a": "x]]>y"})
    assert baked == (
        f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{SVG_NAMESPACE}" viewBox="0 0 10 10">'
        '<openbadges:credential><![CDATA[{"a":"x]]\\u003ey"}]]></openbadges:credential>'
        '<!-- art --><rect width="10" height="10"/></svg>'
    )
    assert json.loads(unbake_svg(baked)) == {"a": "x]]>y"}


def test_unbake_svg_without_a_credential_is_none():
    assert unbake_svg(f'<svg xmlns="{SVG_NS}"/>') is None


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        ("<svg", "The SVG image is not well-formed XML"),
        ("", "The SVG image is not well-formed XML"),
        ('<html xmlns="http://www.w3.org/1999/xhtml"/>', "its root element is not <svg>"),
        (b"\x89PNG", "The SVG image is not well-formed XML"),
        (None, "The image is not an SVG file."),
    ],
)
def test_bad_svgs_are_refused(svg, message):
    with pytest.raises(CredentialError, match=message):
        unbake_svg(svg)
    with pytest.raises(CredentialError, match=message):
        bake_svg(svg, CREDENTIAL)


def test_svg_entities_are_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    external = (
        f'<!DOCTYPE svg [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{SVG_NAMESPACE}">'
        "<openbadges:credential>&xxe;</openbadges:credential></svg>"
    )
    internal = (
        f'<!DOCTYPE svg [<!ENTITY lol "lollollol">]><svg xmlns="{SVG_NS}"><text>&lol;</text></svg>'
    )
    for svg in (external, internal):
        with pytest.raises(CredentialError, match=r"uses XML entities \(&name;\)"):
            unbake_svg(svg)
        with pytest.raises(CredentialError, match=r"uses XML entities \(&name;\)"):
            bake_svg(svg, CREDENTIAL)


def test_svg_entity_amplification_is_refused():
    entities = '<!ENTITY l0 "lollollollol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    svg = f'<!DOCTYPE svg [{entities}]><svg xmlns="{SVG_NS}" id="&l9;"/>'
    with pytest.raises(CredentialError, match="The SVG image is not well-formed XML"):
        bake_svg(svg, CREDENTIAL)


def test_svg_with_an_illustrator_style_namespace_entity_can_be_baked():
    svg = (
        f'<!DOCTYPE svg [<!ENTITY ns_svg "{SVG_NS}">]>'
        '<svg xmlns="&ns_svg;" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'
    )
    baked = bake_svg(svg, CREDENTIAL)
    assert baked.startswith(f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{SVG_NAMESPACE}"')
    assert unbake_svg(baked) == COMPACT


def test_an_empty_credential_element_is_reported():
    svg = f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{SVG_NAMESPACE}"><openbadges:credential/></svg>'
    with pytest.raises(CredentialError, match="openbadges:credential element is empty"):
        unbake_svg(svg)


# --- artwork -----------------------------------------------------------------------------------


def test_badge_svg_is_accessible_escaped_and_deterministic():
    svg = badge_svg("Feedback <script>&", "Northfield & Co", "seed-1")
    assert svg == badge_svg("Feedback <script>&", "Northfield & Co", "seed-1")
    root = etree.fromstring(svg.encode())
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "badge-title badge-desc"
    title = root.find(f"{{{SVG_NS}}}title")
    assert title.text == "Feedback <script>& — Northfield & Co"
    assert root.find(f"{{{SVG_NS}}}desc").text == (
        "A badge for Feedback <script>&, Northfield & Co."
    )
    texts = [node.text for node in root.iter(f"{{{SVG_NS}}}text")]
    assert texts == ["Feedback", "<script>&", "Northfield & Co"]
    assert "<script>" not in svg
    assert len(root.findall(f"{{{SVG_NS}}}polygon")) == 2


def test_badge_svg_wraps_and_truncates_long_titles():
    svg = badge_svg("word " * 60, "", "seed")
    texts = [node.text for node in etree.fromstring(svg.encode()).iter(f"{{{SVG_NS}}}text")]
    assert len(texts) == 4
    assert texts[-1].endswith("…")
    assert all(len(text) <= 16 for text in texts)


def test_palette_depends_on_the_seed_and_keeps_text_readable():
    assert palette("a") == palette("a")
    assert palette("a") != palette("b")
    for seed in ("a", "b", "northfield/feedback", "x" * 50):
        fill, _, ink = palette(seed)
        assert ink == "#ffffff"
        assert _contrast(fill, ink) >= 4.5


def _contrast(one: str, two: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_badge_png_is_a_deterministic_png_of_the_requested_size():
    first = badge_png("Effective Feedback", "Northfield", "seed", size=256)
    assert first == badge_png("Effective Feedback", "Northfield", "seed", size=256)
    assert first != badge_png("Effective Feedback", "Northfield", "other", size=256)
    image = Image.open(io.BytesIO(first))
    assert (image.format, image.size, image.mode) == ("PNG", (256, 256), "RGBA")
    fill = palette("seed")[0]
    centre_left = image.getpixel((40, 128))
    assert "#{:02x}{:02x}{:02x}".format(*centre_left[:3]) == fill
    assert image.getpixel((2, 2))[3] == 0  # transparent outside the hexagon


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": "  "}, "The badge title must not be empty."),
        ({"title": None}, "The badge title must be text."),
        ({"subtitle": 3}, "The badge subtitle must be text."),
        ({"size": 10}, "The badge size must be a whole number of pixels from 64 to 2048."),
        ({"size": 400.0}, "The badge size must be a whole number of pixels from 64 to 2048."),
    ],
)
def test_bad_artwork_inputs_are_refused(kwargs, message):
    arguments = {"title": "T", "subtitle": "S", "colour_seed": "seed", **kwargs}
    with pytest.raises(CredentialError, match=message.replace(".", r"\.")):
        badge_png(**arguments)
    if "size" not in kwargs:
        with pytest.raises(CredentialError, match=message.replace(".", r"\.")):
            badge_svg(**arguments)
