"""The microsite: the three editions as one mkdocs-material site with a language switcher.

- :mod:`esgpress.site.build` — the adapter: render, generate the docs folder, run MkDocs
  (:mod:`esgpress.site.generate`, :mod:`esgpress.site.mkdocs`, :mod:`esgpress.site.paths`);
- :mod:`esgpress.site.serve` — the live preview of one edition;
- :mod:`esgpress.site.landing`, :mod:`esgpress.site.datacentre`,
  :mod:`esgpress.site.chapters` — the generated pages (pure functions);
- :mod:`esgpress.site.search` — one search scope and sitemap per language;
- :mod:`esgpress.site.plugin` — the thin MkDocs plugin (``plugins: [esgpress]``);
- :mod:`esgpress.site.config` — site settings from ``data/report.yaml`` and plugin options.

See docs/site.md.
"""
