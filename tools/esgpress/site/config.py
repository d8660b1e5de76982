"""Site settings and the words the microsite prints itself.

Two kinds of configuration live here:

- :class:`~esgpress.data.model.SiteSettings`, the ``site:`` block of
  ``data/report.yaml`` (headline KPI ids, the public address), read and
  validated by the loader with everything else, handed out by
  :func:`site_settings`;
- :class:`SitePlugin` options (``mkdocs.yml``) for the thin MkDocs plugin.

Locales are the edition names (``zh-Hant``, ``zh-Hans``, ``en``), so a URL
prefix, a ``<html lang>`` and a ``build/render/<edition>`` folder are all the
same string.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from esgpress.core.errors import Problems
from esgpress.data.model import EDITIONS, Dataset, Report
from esgpress.data.model import SiteSettings as SiteSettings  # re-exported for the site modules

if TYPE_CHECKING:
    from esgpress.editions.i18n import Localizer

#: The edition served at the site root. zh-Hant comes first because it is the
#: listed (prevailing) edition of a Hong Kong issuer; see docs/site.md.
DEFAULT_LOCALE = EDITIONS[0]

#: Language names in the switcher, each in its own language.
LANGUAGE_NAMES = {"zh-Hant": "繁體中文", "zh-Hans": "简体中文", "en": "English"}

#: Site pages generated next to the chapters; a chapter with one of these keys is renamed.
RESERVED_PAGES = ("index", "data", "downloads", "reports", "404", "search", "sitemap")

#: Words the site prints: (Simplified, English). zh-Hant is converted from Simplified.
WORDS: dict[str, tuple[str, str]] = {
    "home": ("首页", "Home"),
    "report": ("报告", "Report"),
    "data_centre": ("数据中心", "Data centre"),
    "downloads": ("下载", "Downloads"),
    "highlights": ("主要数据", "Key figures"),
    "chapters": ("报告章节", "Chapters"),
    "read_more": ("阅读全文", "Read more"),
    "download_report": ("下载报告", "Download the report"),
    "report_pdf": ("报告全文（PDF）", "Full report (PDF)"),
    "data_downloads": ("数据下载", "Download the data"),
    "data_intro": (
        "以下为本报告披露的全部关键绩效指标，涵盖数据集中的所有年度。数据亦可下载为CSV、Excel及JSON格式。",
        "All key performance indicators disclosed in this report, over every year in the data set. "
        "The data can also be downloaded as CSV, Excel and JSON.",
    ),
    "downloads_intro": (
        "报告全文以三种语言版本提供，数据集可下载为机器可读格式。",
        "The full report comes in three language editions; "
        "the data set can be downloaded in machine-readable formats.",
    ),
    # The same for a project that publishes one or two editions.
    "downloads_intro_some": (
        "报告全文以下列语言版本提供，数据集可下载为机器可读格式。",
        "The full report comes in the language editions below; "
        "the data set can be downloaded in machine-readable formats.",
    ),
    "csv": ("CSV（逗号分隔）", "CSV (comma-separated)"),
    "xlsx": ("Excel 工作簿", "Excel workbook"),
    "json": ("JSON", "JSON"),
    "vs_last_year": ("较上年", "vs last year"),
    "year_label": ("年度", "Year"),
    "sample": ("示例", "Sample"),
    "pdf_pending": ("PDF 将随报告发布提供", "The PDF is published with the report"),
    "edition": ("版本", "Edition"),
    "explore_data": ("浏览数据中心", "Explore the data centre"),
    "all_data": ("全部数据", "All data"),
    "notes_label": ("注：", "Notes: "),
    "reports_by_year": ("历年报告", "Reports by year"),
    "reports_intro": (
        "本年度及以往年度发布的环境、社会及管治报告与数据，按年度及语言版本列出。",
        "This year's and earlier years' published ESG reports and data, by year and edition.",
    ),
    "earlier_reports": ("历年报告及数据", "Earlier years' reports and data"),
    "report_editions": ("报告", "Report"),
    "data_files": ("数据", "Data"),
    "policies": ("政策文件", "Policies"),
    "assurance_statement": ("独立鉴证声明", "Assurance statement"),
    "external": ("外部链接", "External link"),
    "contact": ("联系我们", "Contact us"),
    "email": ("电子邮箱", "E-mail"),
    "feedback": ("意见反馈", "Feedback"),
}

#: What each download format is, for the data-centre buttons.
DATA_FORMATS: tuple[Literal["xlsx", "csv", "json"], ...] = ("xlsx", "csv", "json")


def word(key: str, loc: Localizer) -> str:
    """Return a word of the site in the edition's language."""
    return loc.pick(*WORDS[key])


def site_settings(dataset: Dataset, problems: Problems | None = None) -> SiteSettings:
    """Return the site settings, read and checked by the loader with the rest of the data.

    ``problems`` is unused: the loader has already reported every problem of the
    ``site:`` block (it is kept so existing callers need no change).
    """
    return dataset.report.site


def page_name(chapter: str) -> str:
    """Return the site file name (without ``.md``) of a chapter; reserved names change.

    The content index is often called ``index`` in the report, which is the
    landing page on the site.

    >>> page_name("climate"), page_name("index")
    ('climate', 'content-index')
    """
    if chapter == "index":
        return "content-index"
    return f"chapter-{chapter}" if chapter in RESERVED_PAGES else chapter


def pdf_name(report: Report, edition: str) -> str:
    """File name of an edition's PDF, as ``esgpress pdf`` writes it to ``dist/``."""
    return f"{report.slug}-{report.year}-{edition}.pdf"


def data_name(report: Report, edition: str, fmt: str) -> str:
    """File name of a data download of one edition."""
    return f"{report.slug}-{report.year}-data-{edition}.{fmt}"


def locale_prefix(locale: str, root_locale: str) -> str:
    """URL prefix of a locale's pages: ``""`` at the root, ``"en/"`` otherwise."""
    return "" if locale == root_locale else f"{locale}/"


class PluginConfig(Config):
    """Options of the ``esgpress`` MkDocs plugin (``plugins: - esgpress: {...}``)."""

    #: The project folder (``data/``, ``content/``), relative to ``mkdocs.yml``.
    project = c.Type(str, default=".")
    #: Shared downloads (PDFs, data sets), copied to ``<site>/files/``.
    files_dir = c.Type(str, default="build/site-files")


def resolve(base: Path, value: str) -> Path:
    """Resolve a path option against the folder of ``mkdocs.yml``."""
    path = Path(value)
    return path if path.is_absolute() else (base / path).resolve()
