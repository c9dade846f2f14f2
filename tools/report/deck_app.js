// The report's slides in the browser (copied to assets/deck.js): before reveal.js starts, the
// answer line moves onto the title slide, and every slide larger than 1280×720 is split
// at its outputs (long tables by rows) or, for one output alone too big, zoomed out. Then
// reveal.js starts at 1280×720 with slide numbers, from the files beside this one.
(() => {
  "use strict";
  const WIDTH = 1280;
  const HEIGHT = 720;
  /** Rows of a long table kept together on one slide at least. */
  const MIN_ROWS = 3;
  const here = document.currentScript.src.replace(/[^/]*$/, "");
  const reveal = document.querySelector(".reveal");
  const slides = reveal.querySelector(".slides");

  /** Slides holding content: sections without sections inside. */
  const leaves = () =>
    [...slides.querySelectorAll("section")].filter((s) => !s.querySelector("section"));
  const fits = (section) => section.scrollHeight <= HEIGHT && section.scrollWidth <= WIDTH;
  const bodyRows = (el) =>
    [...el.querySelectorAll("tr")].filter((tr) =>
      !tr.querySelector("th") || tr.querySelector("td")
    );

  /** The pieces a slide may be split into: markdown cells, the answer, single outputs. */
  function pieces(section) {
    return [...section.children].flatMap((cell) => {
      const items = cell.querySelectorAll(".jp-OutputArea-child");
      return items.length === 0 || cell.classList.contains("deck-answer") ? [cell] : [...items];
    });
  }

  /** A table piece split into pieces of `rows` body rows each, the header repeated. */
  function splitTable(piece, rows) {
    const parts = [];
    for (let at = 0; at < bodyRows(piece).length; at += rows) {
      const copy = piece.cloneNode(true);
      bodyRows(copy).forEach((tr, i) => {
        if (i < at || i >= at + rows) tr.remove();
      });
      parts.push(copy);
    }
    return parts;
  }

  function newSlide(after, heading) {
    const s = document.createElement("section");
    s.className = "deck-continued";
    if (heading) s.appendChild(document.createElement("h2")).textContent = `${heading} (continued)`;
    after.after(s);
    return s;
  }

  /** Zooms `piece` out until `section` fits (one piece too big for any slide). */
  function shrink(section, piece) {
    // A zoomed block would widen to fill its slide again: size it by its content instead.
    piece.style.width = "fit-content";
    for (let k = 0; k < 6 && !fits(section); k++) {
      // Room for the slide's 40 px side margins, which the zoom scales down with the piece.
      const factor = Math.min(HEIGHT / section.scrollHeight, (WIDTH - 80) / section.scrollWidth);
      piece.style.zoom = String(Number(piece.style.zoom || 1) * Math.min(factor, 0.98));
    }
  }

  /** Splits `section` into as many slides as it needs, each continued one under `heading`. */
  function split(section, heading) {
    let queue = pieces(section);
    [...section.children].forEach((w) => w.remove());
    let page = section;
    let onPage = 0;
    while (queue.length > 0) {
      const piece = queue.shift();
      page.appendChild(piece);
      const rows = piece.querySelector("table")?.querySelectorAll("tr").length ?? 0;
      if (fits(page)) {
        onPage++;
      } else if (onPage > 0) {
        piece.remove();
        page = newSlide(page, heading);
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
  }

  /** Each answer (a cell tagged `answer`) moves to the title slide. */
  function answersOnTitles() {
    for (const answer of slides.querySelectorAll(".celltag_answer")) {
      const from = answer.closest("section");
      const title = leaves()[0];
      answer.classList.add("deck-answer");
      // Right after the heading and the question, so a split keeps it on the title slide.
      title.insertBefore(answer, title.children[1] || null);
      title.classList.add("deck-title");
      if (from !== title && from.children.length === 0) {
        const parent = from.parentNode;
        from.remove();
        if (parent !== slides && parent.children.length === 0) parent.remove();
      }
    }
  }

  require([`${here}reveal.js/dist/reveal.js`, `${here}reveal.js/plugin/notes/notes.js`], (
    Reveal,
    RevealNotes,
  ) => {
    answersOnTitles();
    // Sentences in table cells read better ragged-right than right-aligned like numbers.
    for (const cell of slides.querySelectorAll("td, th")) {
      if (cell.textContent.length > 40) cell.style.textAlign = "left";
    }
    reveal.classList.add("deck-measuring");
    slides.style.width = `${WIDTH}px`;
    // A continued slide repeats the last heading so far.
    let heading = "";
    for (const s of leaves()) {
      heading = s.querySelector("h1, h2")?.textContent.replace(/¶$/, "") ?? heading;
      if (!fits(s)) split(s, heading);
    }
    reveal.classList.remove("deck-measuring");
    slides.style.width = "";
    Reveal.initialize({
      width: WIDTH,
      height: HEIGHT,
      margin: 0.02,
      center: false,
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
