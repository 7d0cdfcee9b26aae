"""Raw IAM-OnDB XML converts to exactly the widely used strokes-py3.npy lines."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from ink.__main__ import main
from ink.iamondb import prepare, read_form_text, read_line_xml
from ink.loaders import load_strokes

# (line id, its path under lineStrokes/ and ascii/, its item in the sample's strokes-py3.npy)
SAMPLE_LINES = [
    ("h04-134z-06", "h04/h04-134/h04-134z", 0),
    ("r06-412z-07", "r06/r06-412/r06-412z", 2),
]


def write_line_xml(path, strokes):
    """A minimal IAM-OnDB line file: strokes of whiteboard (x, y) points, y growing down."""
    body = "".join(
        "<Stroke>"
        + "".join(f'<Point x="{x}" y="{y}" time="0.0"/>' for x, y in stroke)
        + "</Stroke>"
        for stroke in strokes
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        f"<WhiteboardCaptureSession><StrokeSet>{body}</StrokeSet></WhiteboardCaptureSession>\n"
    )


def write_form_text(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("OCR:\n\nsomething else\n\nCSR:\n\n" + "\n".join(lines) + "\n")


def test_a_line_xml_becomes_offsets_over_20_with_y_up(tmp_path):
    path = tmp_path / "a01-000z-01.xml"
    write_line_xml(path, [[(100, 500), (120, 500), (120, 460)], [(200, 520), (210, 530)]])
    off = read_line_xml(path)
    expected = [[0, 0, 0], [0, 1, 0], [1, 0, 2], [0, 4, -3], [1, 0.5, -0.5]]
    assert off.dtype == np.float32
    np.testing.assert_array_equal(off, np.array(expected, dtype=np.float32))


def test_form_text_is_the_lines_after_csr(tmp_path):
    path = tmp_path / "a01-000z.txt"
    write_form_text(path, ["first line", "", "second line  "])
    assert read_form_text(path) == ["first line", "second line"]
    path.write_text("OCR:\n\nno transcription section\n")
    with pytest.raises(ValueError, match="no 'CSR:' section") as err:
        read_form_text(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("line_id, form, item", SAMPLE_LINES, ids=[s[0] for s in SAMPLE_LINES])
def test_sample_lines_convert_exactly_to_the_published_arrays(shared_data, line_id, form, item):
    folder = shared_data / "iamondb-sample"
    lines, texts = load_strokes(folder / "strokes-py3.npy", folder / "sentences.txt")
    off = read_line_xml(folder / "raw" / "lineStrokes" / f"{form}-{line_id[-2:]}.xml")
    assert off.shape == lines[item].shape
    np.testing.assert_array_equal(off, lines[item])  # bit for bit, not just close
    assert (
        read_form_text(folder / "raw" / "ascii" / f"{form}.txt")[int(line_id[-2:]) - 1]
        == (texts[item])
    )


def test_prepare_converts_the_sample_forms(shared_data, tmp_path, capsys):
    folder = shared_data / "iamondb-sample"
    report = prepare(folder / "raw", tmp_path)
    assert report == {"written": 18, "skipped": {}}
    assert "wrote 18 lines" in capsys.readouterr().out
    lines, texts = load_strokes(tmp_path / "strokes-py3.npy", tmp_path / "sentences.txt")
    published, published_texts = load_strokes(folder / "strokes-py3.npy", folder / "sentences.txt")
    # lines come out in sorted file order: h04-134z-01..09, then r06-412z-01..09
    for k, (_, _, item) in zip([5, 15], SAMPLE_LINES, strict=True):
        np.testing.assert_array_equal(lines[k], published[item])
        assert texts[k] == published_texts[item]


def test_prepare_reports_the_lines_it_skips(tmp_path, capsys):
    raw = tmp_path / "raw"
    strokes = [[(0, 0), (20, 0), (20, 20)]]
    write_line_xml(raw / "lineStrokes/a01/a01-000/a01-000z-01.xml", strokes)
    write_line_xml(raw / "lineStrokes/a01/a01-000/a01-000z-02.xml", [])  # no strokes
    write_line_xml(raw / "lineStrokes/a01/a01-000/a01-000z-03.xml", strokes)  # form has 2 lines
    write_line_xml(raw / "lineStrokes/b01/b01-000/b01-000z-01.xml", strokes)  # no text file
    write_form_text(raw / "ascii/a01/a01-000/a01-000z.txt", ["one", "two"])
    report = prepare(raw, tmp_path / "out")
    assert report["written"] == 1
    assert report["skipped"] == {
        "empty strokes": 1,
        "no CSR line with that number": 1,
        "no ascii text file": 1,
    }
    out = capsys.readouterr().out
    assert "wrote 1 lines" in out and "skipped 3" in out and "1 empty strokes" in out
    assert load_strokes(tmp_path / "out/strokes-py3.npy", tmp_path / "out/sentences.txt")[1] == [
        "one"
    ]


def test_prepare_skips_a_corrupt_xml_and_names_it(tmp_path, capsys):
    raw = tmp_path / "raw"
    write_line_xml(raw / "lineStrokes/a01/a01-000/a01-000z-01.xml", [[(0, 0), (20, 0), (20, 20)]])
    broken = raw / "lineStrokes/a01/a01-000/a01-000z-02.xml"
    broken.write_text("<WhiteboardCaptureSession><StrokeSet><Stroke><Point x=")  # cut short
    write_line_xml(raw / "lineStrokes/a01/a01-000/a01-000z-03.xml", [[(0, 0), ("abc", 5)]])
    write_line_xml(raw / "lineStrokes/a01/a01-000/a01-000z-04.xml", [[(0, 0), ("nan", 5)]])
    write_form_text(raw / "ascii/a01/a01-000/a01-000z.txt", ["one", "two", "three", "four"])
    report = prepare(raw, tmp_path / "out")
    assert report == {"written": 1, "skipped": {"unreadable XML": 3}}
    out = capsys.readouterr().out
    assert "wrote 1 lines" in out and "3 unreadable XML" in out
    assert "lineStrokes/a01/a01-000/a01-000z-02.xml" in out and "a01-000z-03.xml" in out
    assert load_strokes(tmp_path / "out/strokes-py3.npy", tmp_path / "out/sentences.txt")[1] == [
        "one"
    ]


def test_prepare_skips_the_lines_of_a_form_text_without_transcriptions(tmp_path, capsys):
    raw = tmp_path / "raw"
    write_line_xml(raw / "lineStrokes/a01/a01-000/a01-000z-01.xml", [[(0, 0), (20, 0), (20, 20)]])
    write_line_xml(raw / "lineStrokes/b02/b02-000/b02-000z-01.xml", [[(0, 0), (20, 0), (20, 20)]])
    write_form_text(raw / "ascii/a01/a01-000/a01-000z.txt", ["one"])
    (raw / "ascii/b02/b02-000").mkdir(parents=True)
    (raw / "ascii/b02/b02-000/b02-000z.txt").write_text("no transcription section here\n")
    report = prepare(raw, tmp_path / "out")
    assert report == {"written": 1, "skipped": {"unreadable ascii text file": 1}}
    assert "ascii/b02/b02-000/b02-000z.txt" in capsys.readouterr().out


def test_cli_prepare_writes_the_pair(shared_data, tmp_path):
    raw = shared_data / "iamondb-sample" / "raw"
    assert main(["prepare", "--iamondb", str(raw), "--out", str(tmp_path)]) == 0
    assert len(load_strokes(tmp_path / "strokes-py3.npy")[0]) == 18


def test_cli_prepare_on_a_missing_folder_is_one_error_line_and_exit_code_2(tmp_path):
    missing = tmp_path / "no-such-iamondb"
    result = subprocess.run(
        [sys.executable, "-m", "ink", "prepare", "--iamondb", str(missing), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(missing) in lines[0]


def test_prepare_on_a_folder_without_linestrokes_says_what_is_missing(tmp_path):
    (tmp_path / "ascii").mkdir()
    with pytest.raises(FileNotFoundError, match="lineStrokes/ is missing"):
        prepare(tmp_path, tmp_path / "out")
