import { assert, assertEquals, assertThrows } from "../../lib/_assert.ts";
import { deckHtml } from "./deck.ts";

/** The parts of nbconvert 6.5's reveal export that deckHtml changes. */
const DECK = `<!DOCTYPE html>
<html>
<head>
<title>04_results slides</title><script src="file:///usr/share/javascript/jquery/jquery.min.js"></script><script src="assets/require.js"></script>
    <!-- Load mathjax -->
    <script src="file:///usr/share/javascript/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"> </script>
    <!-- MathJax configuration -->
    <script type="text/x-mathjax-config">
    init_mathjax = function() { MathJax.Hub.Queue(["Typeset", MathJax.Hub]); }
    </script>
    <!-- End of mathjax configuration -->
<link rel="stylesheet" href="assets/reveal.js/dist/theme/simple.css" id="theme">
</head>
<body><div class="reveal"><div class="slides"><section><section><h1>4. Results</h1></section></section></div></div></body>
<script>
require(
    { waitSeconds: 15 },
    ["assets/reveal.js/dist/reveal.js", "assets/reveal.js/plugin/notes/notes.js"],
    function(Reveal, RevealNotes){
        Reveal.initialize({ controls: true, plugins: [RevealNotes] });
        var update = function(event){ if(MathJax.Hub.getAllJax(Reveal.getCurrentSlide())){} };
    }
);
</script>
</html>`;

Deno.test("deckHtml() drops MathJax and jQuery and starts the deck with assets/deck.js", () => {
  const html = deckHtml(DECK);
  assert(!/mathjax|jquery|MathJax|\/usr\/share/.test(html), html);
  assertEquals(html.match(/<script\b[^>]*>/g), [
    '<script src="assets/require.js">',
    '<script src="assets/deck.js">',
  ]);
  assert(html.includes('<link rel="stylesheet" href="assets/deck.css">'));
  assert(html.includes("<h1>4. Results</h1>"), "the slides are left alone");
});

Deno.test("deckHtml() fails loudly when nbconvert's start-up script is not there", () => {
  assertThrows(() => deckHtml("<html><body></body></html>"), Error);
});
