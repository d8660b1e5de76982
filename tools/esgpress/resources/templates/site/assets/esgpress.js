/*
 * esgpress microsite: small progressive enhancements (the pages work without it).
 * - A KPI table wider than its column gets the class esg-scrolls, which shows
 *   the scroll cue under it (templates/site/assets/esgpress.css), once it
 *   comes near the screen.
 * - Material wraps chapter tables in .md-typeset__scrollwrap (a sideways
 *   scroller on phones): each becomes a named, keyboard-focusable region, as
 *   the KPI tables are in the HTML (tools/esgpress/site/markup.py).
 * - The one 404 page shows only the section in the visitor's language, taken
 *   from the address's prefix (/zh-Hans/…, /en/…), and takes that language.
 */
(function () {
  "use strict";

  var CUE = {
    "zh-Hant": "左右滑動查看更多欄",
    "zh-Hans": "左右滑动查看更多栏",
    en: "Scroll sideways for more columns"
  };

  function cue(w, scrolls) {
    w.classList.toggle("esg-scrolls", scrolls);
    // The cue is not in the HTML: search would index its words on every table.
    var next = w.nextElementSibling;
    if (scrolls && !(next && next.classList.contains("esg-scroll-cue"))) {
      var p = document.createElement("p");
      p.className = "esg-scroll-cue";
      p.setAttribute("aria-hidden", "true");
      p.textContent = (CUE[document.documentElement.lang] || CUE.en) + " \u21c6";
      w.parentNode.insertBefore(p, w.nextSibling);
    }
  }

  /*
    A table is measured when it comes near the screen, in an observer's
    callback (after the browser's own layout): measuring every table at load
    forced a layout of the whole page in one long task, and the tables below
    the fold are not laid out at all until they are needed
    (content-visibility: auto in esgpress.css).
  */
  var near = [];
  function rendered(w) {
    // A region the browser has not laid out yet (content-visibility: auto)
    // reports no overflow: it is measured when it is rendered (below).
    var t = w.firstElementChild;
    return !(t && t.checkVisibility) || t.checkVisibility({ contentVisibilityAuto: true });
  }
  function measure(wraps) {
    var ready = [];
    for (var r = 0; r < wraps.length; r++) if (rendered(wraps[r])) ready.push(wraps[r]);
    var widths = [];
    for (var m = 0; m < ready.length; m++) {
      widths.push(ready[m].scrollWidth > ready[m].clientWidth + 1);
    }
    for (var i = 0; i < ready.length; i++) cue(ready[i], widths[i]);
  }

  function markScrolling() {
    var wraps = document.querySelectorAll(".kpi-table-wrap, .md-typeset__scrollwrap");
    if (!("IntersectionObserver" in window)) {
      measure(wraps);
      return;
    }
    var seen = new IntersectionObserver(function (entries) {
      var now = [];
      for (var i = 0; i < entries.length; i++) {
        var at = near.indexOf(entries[i].target);
        if (entries[i].isIntersecting) {
          now.push(entries[i].target);
          if (at < 0) near.push(entries[i].target);
        } else if (at >= 0) {
          near.splice(at, 1);
        }
      }
      measure(now);
    }, { rootMargin: "200px 0px" });
    for (var k = 0; k < wraps.length; k++) {
      seen.observe(wraps[k]);
      wraps[k].addEventListener("contentvisibilityautostatechange", function (ev) {
        if (!ev.skipped) measure([ev.currentTarget]);
      });
    }
  }

  function nameOf(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    for (var el = wrap.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.replace(/[¶#]\s*$/, "").trim();
    }
    var heads = wrap.querySelectorAll("thead th");
    var words = [];
    for (var i = 0; i < heads.length && i < 3; i++) words.push(heads[i].textContent.trim());
    return words.join(" · ") || document.title;
  }

  function markRegions() {
    // Region names are unique on a page (axe landmark-unique): "Name", "Name (2)", …
    var used = {};
    var named = document.querySelectorAll("[role=region][aria-label]");
    for (var k = 0; k < named.length; k++) used[named[k].getAttribute("aria-label")] = 1;
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) {
      var w = wraps[i];
      if (w.hasAttribute("role")) continue;
      var name = nameOf(w);
      var unique = name;
      for (var n = 2; used[unique]; n++) unique = name + " (" + n + ")";
      used[unique] = 1;
      w.setAttribute("role", "region");
      w.setAttribute("tabindex", "0");
      w.setAttribute("aria-label", unique);
    }
  }

  function notFoundLanguage() {
    var page = document.querySelector(".esg-404");
    if (!page) return;
    var root = page.getAttribute("data-root") || "/";
    var path = window.location.pathname;
    var rest = path.indexOf(root) === 0 ? path.slice(root.length) : path.replace(/^\//, "");
    var lang = page.getAttribute("data-default");
    var sections = page.querySelectorAll("section[lang]");
    for (var i = 0; i < sections.length; i++) {
      var prefix = sections[i].getAttribute("data-prefix");
      if (prefix && rest.indexOf(prefix) === 0) lang = sections[i].getAttribute("lang");
    }
    for (var j = 0; j < sections.length; j++) {
      var s = sections[j];
      var mine = s.getAttribute("lang") === lang;
      s.hidden = !mine;
      if (mine) {
        document.documentElement.setAttribute("lang", lang);
        var h = s.querySelector("h1, h2");
        if (h) document.title = h.textContent + " - " + (s.getAttribute("data-site") || "");
      }
    }
  }

  function start() {
    notFoundLanguage();
    markRegions();
    markScrolling();
  }

  window.addEventListener("resize", function () { measure(near); });
  // Material's document$ emits once its components (the table wrappers) are mounted.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
