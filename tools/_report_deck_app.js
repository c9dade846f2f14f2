// The report's slides in the browser (copied to assets/deck.js): before reveal.js starts, the
// answer line moves onto the title slide (in the deck of every deck, each deck's onto its own),
// and every slide taller or wider than 1280×720 is
// split at its outputs (long tables by rows) or, for one output alone too big, scaled down
// with CSS zoom. Then reveal.js starts at 1280×720 with slide numbers. Everything it loads
// lies beside it in assets/, so a deck works offline from file://.
(function () {
  "use strict";
  /** The slide size, in CSS pixels. */
  const WIDTH = 1280;
  const HEIGHT = 720;
  /** Rows of a long table kept together on one slide at least. */
  const MIN_ROWS = 3;
  const here = document.currentScript.src.replace(/[^/]*$/, "");
  const reveal = document.querySelector(".reveal");
  const slides = reveal.querySelector(".slides");

  /** Slides holding content: sections without sections inside. */
  function leaves() {
    return Array.prototype.filter.call(slides.querySelectorAll("section"), function (s) {
      return !s.querySelector("section");
    });
  }

  function fits(section) {
    return section.scrollHeight <= HEIGHT && section.scrollWidth <= WIDTH;
  }

  /** The pieces a slide may be split into: markdown cells, the answer, single outputs. */
  function pieces(section) {
    const out = [];
    for (const cell of section.children) {
      const items = cell.querySelectorAll(".jp-OutputArea-child");
      if (items.length === 0 || cell.classList.contains("deck-answer")) out.push(cell);
      else out.push(...items);
    }
    return out;
  }

  /** A table piece split into pieces of `rows` body rows each, the header repeated. */
  function splitTable(piece, rows) {
    const table = piece.querySelector("table");
    const body = Array.prototype.filter.call(table.querySelectorAll("tr"), function (tr) {
      return !tr.querySelector("th") || tr.querySelector("td");
    });
    const parts = [];
    for (let at = 0; at < body.length; at += rows) {
      const copy = piece.cloneNode(true);
      const copyRows = Array.prototype.filter.call(copy.querySelectorAll("tr"), function (tr) {
        return !tr.querySelector("th") || tr.querySelector("td");
      });
      copyRows.forEach(function (tr, i) {
        if (i < at || i >= at + rows) tr.remove();
      });
      parts.push(copy);
    }
    return parts;
  }

  /** The heading a continued slide repeats: the last heading before `section`. */
  function headingOf(section) {
    const all = leaves();
    for (let i = all.indexOf(section); i >= 0; i--) {
      const h = all[i].querySelector("h1, h2");
      if (h) return h.textContent.replace(/¶$/, "");
    }
    return "";
  }

  function newSlide(after, heading) {
    const s = document.createElement("section");
    s.className = "deck-continued";
    if (heading) {
      const h = document.createElement("h2");
      h.textContent = heading + " (continued)";
      s.appendChild(h);
    }
    after.parentNode.insertBefore(s, after.nextSibling);
    return s;
  }

  /** Zooms `piece` out until `section` fits (one piece too big for any slide). */
  function shrink(section, piece) {
    // A zoomed block would widen to fill its slide again: size it by its content instead.
    piece.style.width = "fit-content";
    for (let k = 0; k < 6 && !fits(section); k++) {
      const zoom = Number(piece.style.zoom || 1);
      // Room for the slide's 40 px side margins, which the zoom scales down with the piece.
      const factor = Math.min(HEIGHT / section.scrollHeight, (WIDTH - 80) / section.scrollWidth);
      piece.style.zoom = String(zoom * Math.min(factor, 0.98));
    }
  }

  /** Splits `section` into as many slides as it needs; returns the slides made. */
  function split(section) {
    const heading = headingOf(section);
    let queue = pieces(section);
    const wrappers = Array.prototype.slice.call(section.children);
    wrappers.forEach(function (w) {
      w.remove();
    });
    let page = section;
    const made = [section];
    let onPage = 0;
    while (queue.length > 0) {
      const piece = queue.shift();
      page.appendChild(piece);
      if (fits(page)) {
        onPage++;
        continue;
      }
      const table = piece.querySelector("table");
      const rows = table ? table.querySelectorAll("tr").length : 0;
      if (onPage > 0) {
        piece.remove();
        page = newSlide(page, heading);
        made.push(page);
        onPage = 0;
        queue.unshift(piece);
      } else if (rows > 2 * MIN_ROWS) {
        piece.remove();
        queue = splitTable(piece, Math.max(MIN_ROWS, Math.floor(rows / 2))).concat(queue);
      } else {
        shrink(page, piece);
        onPage++;
      }
    }
    return made;
  }

  /**
   * Each answer line (a cell tagged `answer`) moves to the end of its deck's title slide; in
   * the deck of every deck, sections carry `data-deck`, so each deck keeps its own.
   */
  function answersOnTitles() {
    Array.prototype.forEach.call(slides.querySelectorAll(".celltag_answer"), function (answer) {
      const from = answer.closest("section");
      const deck = from ? from.getAttribute("data-deck") : null;
      const title = leaves().filter(function (s) {
        return s.getAttribute("data-deck") === deck;
      })[0];
      if (!title) return;
      answer.classList.add("deck-answer");
      // Right after the heading and the question, so a split keeps it on the title slide.
      title.insertBefore(answer, title.children[1] || null);
      title.classList.add("deck-title");
      if (from && from !== title && from.children.length === 0) {
        const parent = from.parentNode;
        from.remove();
        if (parent !== slides && parent.children.length === 0) parent.remove();
      }
    });
  }

  function layOut() {
    answersOnTitles();
    // Sentences in table cells read better ragged-right than right-aligned like numbers.
    for (const cell of slides.querySelectorAll("td, th")) {
      if (cell.textContent.length > 40) cell.style.textAlign = "left";
    }
    reveal.classList.add("deck-measuring");
    slides.style.width = WIDTH + "px";
    leaves().forEach(function (s) {
      if (!fits(s)) split(s);
    });
    reveal.classList.remove("deck-measuring");
    slides.style.width = "";
  }

  require([here + "reveal.js/dist/reveal.js", here + "reveal.js/plugin/notes/notes.js"], function (
    Reveal,
    RevealNotes,
  ) {
    layOut();
    Reveal.initialize({
      width: WIDTH,
      height: HEIGHT,
      margin: 0.02,
      center: false,
      controls: true,
      progress: true,
      hash: true,
      transition: "none",
      slideNumber: "c/t",
      showSlideNumber: "all",
      pdfMaxPagesPerSlide: 1,
      pdfSeparateFragments: false,
      plugins: [RevealNotes],
    });
    globalThis.deck = Reveal;
  });
})();
