import { assertEquals } from "../../lib/_testing_assert.ts";
import { pdfPages } from "./_testing.ts";

Deno.test("pdfPages() counts page objects, not the page tree", () => {
  const pdf = (n: number) =>
    new TextEncoder().encode(
      `%PDF-1.4\n1 0 obj <</Type /Pages /Count ${n}>>\n` +
        Array.from({ length: n }, (_, i) => `${i + 2} 0 obj <</Type /Page /Parent 1 0 R>>`).join(
          "\n",
        ),
    );
  assertEquals([pdfPages(pdf(0)), pdfPages(pdf(1)), pdfPages(pdf(7))], [0, 1, 7]);
});
