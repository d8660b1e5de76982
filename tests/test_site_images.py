"""Chapter images: copied and fingerprinted for the site, alt text required, print resolution.

docs/site.md, "Images in chapters".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from esgpress.pdf.imagedpi import low_resolution_warning
from esgpress.render.resources import check_chapter
from esgpress.site.images import fingerprint_name, publish_images


def _project(tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "zh"
    (folder / "images").mkdir(parents=True)
    Image.new("RGB", (1600, 900), (30, 120, 60)).save(folder / "images" / "solar.jpg")
    (folder / "images" / "plan.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8"
    )
    return folder


def test_markdown_image_becomes_a_fingerprinted_responsive_img(tmp_path):
    folder = _project(tmp_path)
    written: dict[str, bytes] = {}
    page, problems = publish_images(
        '![屋頂太陽能板](images/solar.jpg "2024")\n\n<img src="images/plan.svg" alt="平面圖">',
        folder,
        written.__setitem__,
    )
    assert problems == []
    photo = fingerprint_name("solar.jpg", (folder / "images" / "solar.jpg").read_bytes())
    small = photo.replace(".jpg", "-480.jpg")
    assert sorted(written) == sorted(
        [
            f"images/{photo}",
            f"images/{small}",
            f"images/{photo.replace('.jpg', '-960.jpg')}",
            f"images/{fingerprint_name('plan.svg', (folder / 'images' / 'plan.svg').read_bytes())}",
        ]
    )
    assert written[f"images/{photo}"] == (folder / "images" / "solar.jpg").read_bytes()
    with Image.open(__import__("io").BytesIO(written[f"images/{small}"])) as img:
        assert img.size == (480, 270)
    assert (
        f'<img class="esg-image" src="images/{photo}" alt="屋頂太陽能板" title="2024" '
        'width="1600" height="900" '
        f'srcset="images/{small} 480w, images/{photo.replace(".jpg", "-960.jpg")} 960w, '
        f'images/{photo} 1600w" sizes="(max-width: 60em) 100vw, 45rem">'
    ) in page
    assert '<img src="images/plan.' in page and 'alt="平面圖">' in page


def test_a_changed_photo_gets_a_new_address(tmp_path):
    assert fingerprint_name("a.jpg", b"one") != fingerprint_name("a.jpg", b"two")


def test_missing_image_is_named(tmp_path):
    folder = _project(tmp_path)
    page, problems = publish_images("![圖](images/solr.jpg)", folder, lambda *_: None)
    assert page == "![圖](images/solr.jpg)"
    assert problems == [
        f"image 'images/solr.jpg' does not exist (looked for {folder / 'images' / 'solr.jpg'})"
    ]


def test_charts_and_data_urls_are_left_alone(tmp_path):
    text = '<img src="charts/a.svg" alt="A">'
    assert publish_images(text, tmp_path, lambda *_: None) == (text, [])


def test_check_requires_alt_text(tmp_path):
    _project(tmp_path)
    found = check_chapter(
        'x\n![](images/solar.jpg)\n<img src="images/plan.svg">\n<img src="images/plan.svg" alt="">',
        tmp_path,
        "zh",
    )
    hint = (
        "write what it shows between the brackets (![Solar panels on the plant roof](…)), "
        'or <img alt="" …> for a decorative image'
    )
    assert [(f.line, f.message) for f in found] == [
        (2, f"image 'images/solar.jpg' has no alt text: {hint}"),
        (3, f"image 'images/plan.svg' has no alt attribute: {hint}"),
    ]


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (
            800,
            "photo 'p.jpg' would print at 118 dpi (below 200); "
            "for the 172 mm text column use an image at least 1355 px wide",
        ),
        (
            400,
            "photo 'p.jpg' would print at 96 dpi (below 200); "
            "for the 172 mm text column use an image at least 1355 px wide",
        ),
        (1400, None),
    ],
)
def test_low_resolution_photo_is_warned(tmp_path, width, expected):
    Image.new("RGB", (width, 300)).save(tmp_path / "p.jpg")
    assert low_resolution_warning(tmp_path / "p.jpg") == expected
    (tmp_path / "p.svg").write_text("<svg/>", encoding="utf-8")
    assert low_resolution_warning(tmp_path / "p.svg") is None
