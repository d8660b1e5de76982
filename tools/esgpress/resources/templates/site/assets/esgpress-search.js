/*
  esgpress search worker: Material's search worker, with each Chinese query
  prepared before Material sees it (docs/site.md, "Search").

  templates/site/main.html points Material at this file and passes the
  address of Material's own worker in ?material=. Material's worker script
  is imported on the first message (the search index, sent on first use),
  so a page that never searches downloads neither.

  For a query in a Chinese edition (the index carries config.esgpress,
  written by tools/esgpress/site/crossscript.py):
  1. the other script is converted to this edition's (员工 → 員工) with the
     build-time OpenCC map: whole words of the index first, then characters;
  2. each run of ideographs is cut into the index's own words, longest
     first (員工福利 → 員工 福利);
  3. each word is handed to Material followed by 〇, so that Material's
     own query segmenter, which never considers a whole run (it only tries
     substrings ending before the last character: 員工 became 員, and the
     page then highlighted every 員), returns the word itself. The trailing
     character is never part of what that segmenter returns.
*/
(function () {
  "use strict";
  var SETUP = 0;
  var QUERY = 2;
  var TAIL = "\u3007";
  var HAN = /\p{sc=Han}+/gu;
  var own = Object.prototype.hasOwnProperty;

  var material = new URL(self.location.href).searchParams.get("material");
  var loaded = false;
  var passing = false;
  var maps = null;
  var words = null;
  var longest = 1;

  function learn(data) {
    var config = (data && data.config) || {};
    maps = config.esgpress || null;
    if (!maps) return;
    var separator = new RegExp(config.separator, "g");
    words = new Set();
    (data.docs || []).forEach(function (doc) {
      [doc.title, doc.text].forEach(function (field) {
        if (typeof field !== "string") return;
        field.replace(/<[^>]*>/g, " ").split(separator).forEach(function (word) {
          if (word.length > 1) {
            words.add(word.toLowerCase());
            if (word.length > longest) longest = Math.min(word.length, 16);
          }
        });
      });
    });
  }

  function toEdition(query) {
    var out = "";
    var i = 0;
    while (i < query.length) {
      var n = Math.min(maps.longest || 0, query.length - i);
      for (; n > 1; n--) {
        var piece = query.substr(i, n);
        if (own.call(maps.words, piece)) {
          out += maps.words[piece];
          break;
        }
      }
      if (n > 1) {
        i += n;
        continue;
      }
      var ch = query.charAt(i);
      out += own.call(maps.chars, ch) ? maps.chars[ch] : ch;
      i += 1;
    }
    return out;
  }

  function cut(run) {
    var parts = [];
    var i = 0;
    while (i < run.length) {
      var n = Math.min(longest, run.length - i);
      while (n > 1 && !words.has(run.substr(i, n))) n--;
      parts.push(run.substr(i, n) + TAIL);
      i += n;
    }
    return parts.join(" ");
  }

  function prepare(query) {
    return toEdition(query).replace(HAN, cut);
  }

  function pass(data) {
    passing = true;
    try {
      self.dispatchEvent(new MessageEvent("message", { data: data }));
    } finally {
      passing = false;
    }
  }

  self.addEventListener("message", function (ev) {
    if (passing) return;
    var message = ev.data;
    if (!loaded) {
      loaded = true;
      importScripts(material); // Material's worker adds its own message listener
    }
    ev.stopImmediatePropagation();
    if (message && message.type === SETUP) learn(message.data);
    if (message && message.type === QUERY && maps && typeof message.data === "string") {
      message = { type: QUERY, data: prepare(message.data) };
    }
    pass(message);
  });
})();
