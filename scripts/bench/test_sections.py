# Tests of sections.py: the sections other runs wrote survive every run byte for byte.
import unittest

from sections import ACCESS, CLIENT, KEPT, WEB, Markers, append_kept, replace_section, section_of

CLIENT_SECTION = f"""{CLIENT.begin}
## The --connect client

| measure | result | target |
|---|---|---|
| Enter after the name ... | median 36.8 ms, worst 48.9 ms | ≤ 200 ms, met |  
{CLIENT.end}"""
WEB_SECTION = f"""{WEB.begin}
## Web browsers beside TCP clients

Half on WebSocket against all on TCP: **0.90** (target ≥ 0.85, met).\t
```
scripts/bench.sh --web
```
{WEB.end}"""
ACCESS_SECTION = f"""{ACCESS.begin}
## A password, and a storm of wrong ones

| build | instructions per delivery |
|---|---|
| before the access rules (`c4d6194`) | 421.7 |

{ACCESS.end}"""
PAGE = f"""# Benchmarks

The full run's own text.

{CLIENT_SECTION}

{WEB_SECTION}

{ACCESS_SECTION}
"""


class SectionOfTest(unittest.TestCase):
    def test_a_section_is_its_markers_and_every_line_between(self):
        self.assertEqual(section_of(PAGE, CLIENT), CLIENT_SECTION)
        self.assertEqual(section_of(PAGE, WEB), WEB_SECTION)
        self.assertEqual(section_of(PAGE, ACCESS), ACCESS_SECTION)

    def test_a_page_without_the_section_has_none(self):
        self.assertEqual(section_of("# Benchmarks\n\ntext\n", CLIENT), "")

    def test_a_marker_must_be_the_whole_line(self):
        self.assertEqual(section_of(f"see {CLIENT.begin}\ntext\n{CLIENT.end}\n", CLIENT), "")

    def test_a_section_without_its_end_runs_to_the_end_of_the_page(self):
        self.assertEqual(section_of(f"a\n{WEB.begin}\nb\nc\n\n", WEB), f"{WEB.begin}\nb\nc")


class ReplaceSectionTest(unittest.TestCase):
    def test_only_the_section_changes(self):
        new_web = f"{WEB.begin}\n## Web browsers beside TCP clients\n\nnew figures\n{WEB.end}"
        page = replace_section(PAGE, WEB, new_web)
        self.assertEqual(page, PAGE.replace(WEB_SECTION, new_web))

    def test_a_page_without_the_section_gets_it_at_the_end_after_a_blank_line(self):
        page = "# Benchmarks\n\ntext\n"
        self.assertEqual(replace_section(page, CLIENT, CLIENT_SECTION), page + "\n" + CLIENT_SECTION + "\n")

    def test_no_page_yet_gets_the_section_alone(self):
        self.assertEqual(replace_section(None, WEB, WEB_SECTION), "\n" + WEB_SECTION + "\n")

    def test_replacing_a_section_with_itself_changes_no_byte(self):
        for markers, section in ((CLIENT, CLIENT_SECTION), (WEB, WEB_SECTION), (ACCESS, ACCESS_SECTION)):
            self.assertEqual(replace_section(PAGE, markers, section), PAGE)

    def test_carriage_returns_and_trailing_spaces_are_kept(self):
        page = f"a \r\n{CLIENT.begin}\nold\n{CLIENT.end}\nb\t\n"
        self.assertEqual(replace_section(page, CLIENT, f"{CLIENT.begin}\nnew\n{CLIENT.end}\n"),
                         f"a \r\n{CLIENT.begin}\nnew\n{CLIENT.end}\nb\t\n")


class KeptSectionsTest(unittest.TestCase):
    def test_a_full_run_keeps_every_section_byte_for_byte(self):
        kept = [section_of(PAGE, markers) for markers in KEPT]
        page = append_kept("# Benchmarks\n\nfresh figures\n", kept)
        for markers, section in zip(KEPT, (CLIENT_SECTION, WEB_SECTION, ACCESS_SECTION)):
            self.assertEqual(section_of(page, markers), section)
        self.assertEqual(page, "# Benchmarks\n\nfresh figures\n\n" + CLIENT_SECTION + "\n\n" + WEB_SECTION + "\n\n"
                         + ACCESS_SECTION + "\n")

    def test_a_section_no_run_wrote_yet_leaves_no_gap(self):
        self.assertEqual(append_kept("report\n", ["", WEB_SECTION, ""]), "report\n\n" + WEB_SECTION + "\n")

    def test_the_markers_are_those_on_the_page(self):
        # Pages written before keep their sections only if the markers never change.
        self.assertEqual(CLIENT, Markers("<!-- client benchmark: scripts/bench.sh --client -->",
                                         "<!-- end of client benchmark -->"))
        self.assertEqual(WEB, Markers("<!-- web benchmark: scripts/bench.sh --web -->",
                                      "<!-- end of web benchmark -->"))
        self.assertEqual(ACCESS, Markers("<!-- access benchmark: scripts/bench_storm.py -->",
                                         "<!-- end of access benchmark -->"))


if __name__ == "__main__":
    unittest.main()
