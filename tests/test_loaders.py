"""Loading real data: the formats round-trip, and every mistake gets an error naming the file."""

from __future__ import annotations

import numpy as np
import pytest

from ink.loaders import load_image, load_kaggle_names, load_strokes, save_strokes
from ink.strokes import strokes_to_offsets


def small_lines(n=3):
    rng = np.random.default_rng(0)
    return [
        strokes_to_offsets([np.cumsum(rng.normal(size=(k, 2)), axis=0), rng.normal(size=(4, 2))])
        for k in range(5, 5 + n)
    ]


# --- IAM-OnDB strokes ------------------------------------------------------------------------


def test_save_then_load_gives_back_the_lines_and_texts(tmp_path):
    lines, texts = small_lines(), ["a move", "the end", ""]
    strokes_path, sentences_path = save_strokes(lines, texts, tmp_path / "out")
    assert strokes_path.name == "strokes-py3.npy" and sentences_path.name == "sentences.txt"
    got_lines, got_texts = load_strokes(strokes_path, sentences_path)
    assert got_texts == texts
    assert len(got_lines) == len(lines)
    for a, b in zip(got_lines, lines, strict=True):
        assert a.dtype == np.float32
        np.testing.assert_array_equal(a, b)


def test_lines_of_equal_length_still_save_as_an_object_array(tmp_path):
    lines = [strokes_to_offsets([np.arange(8.0).reshape(4, 2)])] * 2  # same shape
    path, _ = save_strokes(lines, None, tmp_path)
    raw = np.load(path, allow_pickle=True)
    assert raw.dtype == object and raw.shape == (2,)


def test_without_sentences_the_texts_are_none(tmp_path):
    path, _ = save_strokes(small_lines(), None, tmp_path)
    lines, texts = load_strokes(path)
    assert texts is None and len(lines) == 3


def test_a_count_mismatch_says_both_counts(tmp_path):
    path, sentences = save_strokes(small_lines(3), ["a", "b", "c"], tmp_path)
    sentences.write_text("a\nb\n")
    with pytest.raises(ValueError, match="has 2 lines but strokes-py3.npy has 3 items") as err:
        load_strokes(path, sentences)
    assert str(sentences) in str(err.value)


def test_a_missing_file_names_the_path_and_the_data_source(tmp_path):
    missing = tmp_path / "nowhere" / "strokes-py3.npy"
    with pytest.raises(FileNotFoundError) as err:
        load_strokes(missing)
    message = str(err.value)
    assert str(missing) in message
    assert "IAM-OnDB" in message and "python -m ink prepare" in message

    path, _ = save_strokes(small_lines(), None, tmp_path)
    with pytest.raises(FileNotFoundError, match="sentences.txt"):
        load_strokes(path, tmp_path / "sentences.txt")


def test_a_file_that_is_not_a_stroke_array_is_a_value_error_naming_it(tmp_path):
    text = tmp_path / "strokes-py3.npy"
    text.write_text("hello, not a pickle\n")
    with pytest.raises(ValueError, match="not a NumPy .npy file") as err:
        load_strokes(text)
    assert str(text) in str(err.value)

    plain = tmp_path / "plain.npy"
    np.save(plain, np.zeros((10, 3), dtype=np.float32))
    with pytest.raises(ValueError, match=r"expected a 1-D object array .* float32 .*\(10, 3\)"):
        load_strokes(plain)


def test_a_bad_line_inside_the_file_is_named_by_its_index(tmp_path):
    arr = np.empty(2, dtype=object)
    arr[0], arr[1] = small_lines(1)[0], np.zeros((5, 2), dtype=np.float32)
    path = tmp_path / "strokes-py3.npy"
    np.save(path, arr, allow_pickle=True)
    with pytest.raises(ValueError, match=r"item 1: expected a \(T, 3\) array"):
        load_strokes(path)


def test_save_refuses_texts_that_would_break_the_one_line_per_text_file(tmp_path):
    with pytest.raises(ValueError, match="line break"):
        save_strokes(small_lines(1), ["two\nlines"], tmp_path)
    with pytest.raises(ValueError, match="3 lines but 2 texts"):
        save_strokes(small_lines(3), ["a", "b"], tmp_path)


def test_the_iamondb_sample_loads(shared_data):
    folder = shared_data / "iamondb-sample"
    lines, texts = load_strokes(folder / "strokes-py3.npy", folder / "sentences.txt")
    assert len(lines) == len(texts) == 100
    assert all(line.dtype == np.float32 and line.shape[1] == 3 for line in lines)
    assert all(line[-1, 0] == 1 for line in lines)  # every line ends with a pen lift
    assert all(t.strip() for t in texts)


# --- Kaggle names ----------------------------------------------------------------------------


def write_csv(path, rows, header="FILENAME,IDENTITY"):
    # identity None writes a row with no second field at all (pandas would read it as NaN)
    body = "".join(f"{f}\n" if i is None else f"{f},{i}\n" for f, i in rows)
    path.write_text(header + "\n" + body)
    return path


def test_kaggle_rows_without_a_name_are_dropped_and_counted(tmp_path, capsys):
    rows = [("a.jpg", "KEVIN"), ("b.jpg", "UNREADABLE"), ("c.jpg", "EMPTY"), ("d.jpg", "")]
    rows += [("e.jpg", "NA"), ("f.jpg", "  "), ("g.jpg", "JEAN-LUC"), ("h.jpg", None)]
    df = load_kaggle_names(write_csv(tmp_path / "names.csv", rows))
    assert list(df.columns) == ["FILENAME", "IDENTITY", "path"]
    assert df["IDENTITY"].tolist() == ["KEVIN", "NA", "JEAN-LUC"]  # "NA" is a name, not a NaN
    assert df.attrs["dropped"] == {"UNREADABLE": 1, "EMPTY": 1, "blank": 3}
    assert "dropped 5 of 8 rows: 1 UNREADABLE, 1 EMPTY, 3 blank" in capsys.readouterr().err


def test_kaggle_header_is_checked(tmp_path):
    path = write_csv(tmp_path / "names.csv", [("a.jpg", "KEVIN")], header="file,label")
    with pytest.raises(
        ValueError, match="expected the header 'FILENAME,IDENTITY', got 'file,label'"
    ) as err:
        load_kaggle_names(path)
    assert str(path) in str(err.value)
    with pytest.raises(FileNotFoundError, match="Handwriting Recognition"):
        load_kaggle_names(tmp_path / "written_name_train_v2.csv")


def test_kaggle_missing_images_name_the_first_one(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    (images / "a.jpg").write_bytes(b"")
    path = write_csv(
        tmp_path / "names.csv", [("a.jpg", "KEVIN"), ("b.jpg", "LENA"), ("c.jpg", "X")]
    )
    with pytest.raises(FileNotFoundError, match="2 of 3 images") as err:
        load_kaggle_names(path, images)
    assert str(images / "b.jpg") in str(err.value)


def test_load_image_errors_are_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.jpg"):
        load_image(tmp_path / "nope.jpg")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a jpeg at all")
    with pytest.raises(ValueError, match="could not decode") as err:
        load_image(broken)
    assert str(broken) in str(err.value)


def test_the_kaggle_sample_loads_with_its_images(shared_data, capsys):
    folder = shared_data / "kaggle-names-sample"
    df = load_kaggle_names(folder / "written_name_sample.csv", folder / "images")
    assert len(df) == 64 and sum(df.attrs["dropped"].values()) == 0
    assert "dropped 0 of 64 rows; 64 names left" in capsys.readouterr().err
    assert df["IDENTITY"].str.fullmatch(r"[A-Z' -]+").all()
    img = load_image(df["path"][0])
    assert img.dtype == np.uint8 and img.ndim == 2 and img.shape[1] > img.shape[0]


def test_sentences_saved_on_windows_read_the_same(tmp_path):
    path, sentences = save_strokes(small_lines(2), ["a b", "c"], tmp_path)
    sentences.write_bytes(b"a b\r\nc\r\n")
    assert load_strokes(path, sentences)[1] == ["a b", "c"]
