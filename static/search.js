// Site search on the search page: reads ?q=, loads this language's search index (written by
// `build_search_index`, Fuse.js shape: url, title, description, body) and lists the pages that
// contain every word of the query (with ?unit=<dir>, from that unit's own index). Accents, đ
// and case are ignored, so "dinh lang" finds "Đình làng"; Chinese matches by substring. The
// form works without this script: it reloads the page with ?q=, and this script answers it.
(function () {
  "use strict";
  const box = document.getElementById("search-results");
  const input = document.getElementById("search-q");
  if (!box || !input || !window.fetch) return;
  const params = new URLSearchParams(location.search);
  const query = params.get("q") || "";
  input.value = query;
  // ?unit=<dir> limits the search to a unit's own index, when the page offers that unit.
  const select = document.getElementById("search-unit");
  const unit = select && Array.from(select.options).find((o) => o.value && o.value === params.get("unit"));
  if (unit) select.value = unit.value;
  const indexUrl = unit ? unit.dataset.index : box.dataset.index;
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return;
  // Whole words ("le" finds "lễ", not "lệch"), but the last one may be the start of a word
  // still being typed; in scripts written without spaces (Chinese) any substring matches.
  const spaceless = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
  const tests = words.map((w, i) => {
    const escaped = w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const end = i === words.length - 1 ? "" : "(?![\\p{L}\\p{N}])";
    const re = new RegExp(spaceless.test(w) ? escaped : "(?<![\\p{L}\\p{N}])" + escaped + end, "u");
    return (text) => re.test(text);
  });

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase();
  }
  // The index keeps HTML entities as written (&amp;); turn them into text without running anything.
  function decode(s) {
    return s ? new DOMParser().parseFromString(s, "text/html").documentElement.textContent : "";
  }
  function score(doc) {
    let total = 0;
    for (const has of tests) {
      const inTitle = has(doc.ftitle), inDesc = has(doc.fdesc), inBody = has(doc.fbody);
      if (!inTitle && !inDesc && !inBody) return 0;
      total += (inTitle ? 6 : 0) + (inDesc ? 3 : 0) + (inBody ? 1 : 0);
    }
    return total;
  }
  // A stretch of the text around the first word found, on word boundaries where there are some.
  function snippet(doc) {
    const text = doc.description || doc.body;
    const at = Math.max(0, fold(text).indexOf(words[0]));
    let start = Math.max(0, at - 60), end = Math.min(text.length, at + 160);
    const space = text.lastIndexOf(" ", start);
    if (start > 0 && space > start - 20) start = space + 1;
    return (start > 0 ? "… " : "") + text.slice(start, end).trim() + (end < text.length ? " …" : "");
  }
  function show(found) {
    box.textContent = "";
    const heading = document.createElement("h2");
    heading.textContent = box.dataset.heading + " “" + query + "”" +
      (unit ? " " + box.dataset.inUnit.replace("{unit}", unit.textContent) : "");
    box.appendChild(heading);
    if (!found.length) {
      const p = document.createElement("p");
      p.textContent = box.dataset.none;
      box.appendChild(p);
      return;
    }
    const list = document.createElement("ol");
    list.className = "search-list";
    for (const doc of found) {
      const li = document.createElement("li");
      const h = document.createElement("h3");
      const a = document.createElement("a");
      a.href = doc.url;
      a.textContent = doc.title || doc.url;
      h.appendChild(a);
      const p = document.createElement("p");
      p.textContent = snippet(doc);
      li.append(h, p);
      list.appendChild(li);
    }
    box.appendChild(list);
  }

  box.setAttribute("aria-busy", "true");
  fetch(indexUrl)
    .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then((docs) => {
      const found = docs
        .map((d) => {
          const doc = { url: d.url, title: decode(d.title), description: decode(d.description), body: decode(d.body) };
          doc.ftitle = fold(doc.title); doc.fdesc = fold(doc.description); doc.fbody = fold(doc.body);
          doc.score = score(doc);
          return doc;
        })
        .filter((d) => d.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, 50);
      show(found);
    })
    .catch(() => { box.textContent = box.dataset.failed; })
    .finally(() => box.removeAttribute("aria-busy"));
})();
