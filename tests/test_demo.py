"""The demo page's server (issue 37): pointer samples -> lines, and its API through Flask's test
client. The shipped recognizer and writer are loaded once for the module."""

from __future__ import annotations

import io

import numpy as np
import pytest

from ink.strokes import offsets_to_strokes
from ink.synthetic import write
from labcore.metrics import char_error_rate
from synthesis.demo.app import MAX_TEXT_CHARS, Models, create_app
from synthesis.demo.pointer import (
    PIXELS_PER_UNIT,
    line_to_samples,
    samples_to_line,
    writing_time,
)

TEXT = "we read what you write"  # synthetic writer 11 writes it legibly (read exactly)


@pytest.fixture(scope="module")
def client():
    return create_app().test_client()


@pytest.fixture(scope="module")
def samples():
    """TEXT by a synthetic writer, as a browser would send it."""
    return line_to_samples(write(TEXT, writer=11))


# ----------------------------------------------------------------------------- pointer samples
def test_pointer_samples_become_offsets_with_y_up():
    """Two strokes in pixels (y down) -> the (eos, dx, dy) rows the IAM-OnDB loader would make:
    moves divided by PIXELS_PER_UNIT, y flipped, eos on each stroke's last point."""
    strokes = [
        [[10, 100, 0.0], [20, 100, 8.0], [20, 90, 16.0]],  # right 10 px, then up 10 px
        [[30, 95, 40.0], [31, 95, 48.0]],
    ]
    expected = np.array(
        [[0, 0, 0], [0, 10, 0], [1, 0, 10], [0, 10, -5], [1, 1, 0]], np.float32
    )  # (T, 3) in pixels, y up
    expected[:, 1:] /= PIXELS_PER_UNIT
    np.testing.assert_allclose(samples_to_line(strokes), expected, atol=1e-6)
    assert samples_to_line(strokes).dtype == np.float32


def test_samples_are_put_in_time_order():
    """Strokes (and samples) are ordered by their timestamps, not by the order they came in."""
    a = [[0, 0, 0.0], [5, 0, 10.0]]
    b = [[10, 0, 30.0], [10, 5, 40.0]]
    in_order = samples_to_line([a, b])
    np.testing.assert_array_equal(samples_to_line([b, a]), in_order)
    np.testing.assert_array_equal(samples_to_line([a[::-1], b]), in_order)


def test_a_line_survives_the_trip_through_pointer_samples():
    line = write("hello", writer=2)
    samples = line_to_samples(line, ms_per_point=10.0)
    np.testing.assert_allclose(samples_to_line(samples), line, atol=1e-4)
    assert len(samples) == len(offsets_to_strokes(line))
    assert writing_time([np.array(s) for s in samples]) == pytest.approx(
        (len(line) - 1 + 9 * (len(samples) - 1)) * 0.010
    )


@pytest.mark.parametrize(
    "strokes, message",
    [
        ([], "0 points"),
        ([[]], "0 points"),
        ([[[1, 2, 3]]], "1 point:"),
        ([[[1, 2, 3], [1.5, 2, 4], [1, 2.5, 5]]], "single dot"),
        ([[[i, i, i] for i in range(5001)]], "5001 points, more than the 5000"),
        ("not a list", "a list of strokes"),
        ([[[1, "2", 3]]], "stroke 0"),
        ([[[1, float("nan"), 3]]], "stroke 0"),
    ],
)
def test_bad_lines_are_refused_in_one_line(strokes, message):
    with pytest.raises(ValueError, match=message):
        samples_to_line(strokes)


# ----------------------------------------------------------------------------- the API
def test_read_a_synthetic_line_written_on_the_page(client, samples):
    response = client.post("/api/read", json={"strokes": samples})
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert char_error_rate([TEXT], [data["greedy"]]) <= 0.1  # measured: 0.0
    assert char_error_rate([TEXT], [data["beam"]]) <= 0.1
    assert data["strokes"] == len(samples)
    # the letter of each frame sits on a point of the trace the recognizer read
    letters = "".join(c for _, c in data["frames"])
    assert set(letters) <= set(data["greedy"]) and letters
    assert all(0 <= i < len(data["trace"]) for i, _ in data["frames"])
    npy = client.get(f"/api/line/{data['line_id']}.npy")
    mine = np.load(io.BytesIO(npy.data))
    np.testing.assert_allclose(mine, samples_to_line(samples))


def test_write_gives_one_svg_path_per_pen_down_stroke(client):
    response = client.post("/api/write", json={"text": "hello", "prime": "style", "style": 2})
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    npy = client.get(f"/api/line/{data['line_id']}.npy")
    offsets = np.load(io.BytesIO(npy.data))  # (T, 3) the written line
    n_strokes = len(offsets_to_strokes(offsets))
    assert data["svg"].count("<path") == n_strokes == len(data["pen_steps"])
    assert 'fill="none"' in data["svg"]  # single lines: a plotter can draw it
    assert np.array(data["phi"]).shape[1] == len("hello ")  # the text and the space after
    svg = client.get(f"/api/line/{data['line_id']}.svg")
    assert svg.mimetype == "image/svg+xml" and svg.data.decode() == data["svg"]
    png = client.get(f"/api/line/{data['line_id']}.png")
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_write_primed_with_the_line_written_on_the_page(client, samples):
    body = {"text": "in my hand", "prime": "line", "strokes": samples, "prime_text": TEXT}
    response = client.post("/api/write", json=body)
    assert response.status_code == 200, response.get_json()
    assert TEXT in response.get_json()["primed_with"]


@pytest.mark.parametrize(
    "path, body, message",
    [
        ("/api/read", {"strokes": []}, "0 points"),
        ("/api/read", {"strokes": [[[5, 5, 0]]]}, "1 point"),
        ("/api/read", {"strokes": [[[i, i % 7, i] for i in range(6000)]]}, "6000 points"),
        ("/api/read", {}, "a list of strokes"),
        ("/api/write", {"text": "x" * (MAX_TEXT_CHARS + 1)}, f"more than the {MAX_TEXT_CHARS}"),
        ("/api/write", {"text": "naïve café"}, "cannot write 'ï', 'é'"),
        ("/api/write", {"text": "   "}, "at least one letter"),
        ("/api/write", {"text": "hi", "bias": -1}, "bias: expected a number from 0"),
        ("/api/write", {"text": "hi", "prime": "line", "strokes": []}, "the text of your line"),
        ("/api/write", {"text": "hi", "prime": "line", "prime_text": "a"}, "a list of strokes"),
    ],
)
def test_bad_input_is_a_400_with_one_line(client, path, body, message):
    response = client.post(path, json=body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert message in error and "\n" not in error


def test_a_body_that_is_not_json_or_too_large_is_refused(client):
    response = client.post("/api/read", data="{not json", content_type="application/json")
    assert response.status_code == 400 and "JSON object" in response.get_json()["error"]
    response = client.post("/api/read", data=b" " * (3 << 20), content_type="application/json")
    assert response.status_code == 413 and "MB allowed" in response.get_json()["error"]
    assert client.get("/api/line/nosuchline.svg").status_code == 404


class BrokenModels(Models):
    def writer(self):
        raise RuntimeError("the weights are corrupt\nsecond line")


def test_a_failing_request_is_one_line_and_the_server_goes_on():
    broken = create_app(BrokenModels()).test_client()
    response = broken.post("/api/write", json={"text": "hello"})
    assert response.status_code == 500
    assert response.get_json()["error"] == "unexpected RuntimeError: the weights are corrupt"
    assert broken.get("/api/limits").status_code == 200  # the next request is served


def test_the_page_and_its_files_are_served_from_the_package(client):
    page = client.get("/")
    assert page.status_code == 200 and b"demo.js" in page.data
    for name in ("demo.js", "demo.css"):
        assert client.get(f"/static/{name}").status_code == 200
    assert b"http" not in page.data  # nothing from a CDN: the page works offline


def test_the_command_line_refuses_a_bad_or_taken_port(capsys):
    import socket

    from synthesis.__main__ import main

    assert main(["demo", "--port", "70000"]) == 2
    assert "expected a port from 0 to 65535" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["demo", "--port", str(taken.getsockname()[1])]) == 2
    assert "error: cannot listen on 127.0.0.1:" in capsys.readouterr().err
