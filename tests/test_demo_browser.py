"""The demo page in a real browser (issue 37): headless Chromium from Debian, driven by Selenium.

A synthetic line is written on the page with pointer events, read, and a text written in that
hand; the SVG must appear and its download link must give an SVG. The time from each click to
its result is printed (``pytest -s``). With ``LAB_DEMO_SCREENSHOT=docs/demo.png`` the page is
also saved as that picture once the pen has finished (the README shows it).

Needs ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` (``apt-get install chromium
chromium-driver``; .ci/run installs them): Selenium is pointed at that driver, so its Selenium
Manager never downloads a browser. Skipped without them.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from ink.synthetic import write
from labcore.metrics import char_error_rate
from synthesis.demo.pointer import line_to_samples

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
TEXT = "handwriting can be read by a network now"  # 40 characters, read exactly by the model
WRITER = 11
pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="no /usr/bin/chromium or /usr/bin/chromedriver: apt-get install chromium "
    "chromium-driver (as .ci/run does) to run the browser test",
)
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync "
    "--window-size=1100,1250"
).split()

# Pen down, moves, pen up for each stroke, as a pen on the writing area would make them;
# the browser stamps each event with an increasing event.timeStamp.
WRITE_STROKES = """
const [strokes] = arguments;
const pad = document.getElementById("pad");
const box = pad.getBoundingClientRect();
const fire = (type, [x, y]) => pad.dispatchEvent(new PointerEvent(type, {
    pointerId: 1, pointerType: "pen", isPrimary: true, bubbles: true, cancelable: true,
    clientX: box.left + x, clientY: box.top + y, buttons: type === "pointerup" ? 0 : 1}));
for (const stroke of strokes) {
    fire("pointerdown", stroke[0]);
    for (const point of stroke.slice(1)) fire("pointermove", point);
    fire("pointerup", stroke[stroke.length - 1]);
}
"""


@pytest.fixture(scope="module")
def demo_url():
    """The real demo server on a free port, in a thread of this process, its models loaded
    first (as ``python -m synthesis demo`` does while the page opens): the times measured are
    those of a warm server."""
    from synthesis.demo.app import Models, make_demo_server

    models = Models()
    models.warm_up()
    server = make_demo_server("127.0.0.1", 0, models)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="pip install selenium")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={tmp_path / 'chromium'}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def wait_for(driver, condition: str, timeout: float = 120.0):
    """Poll a JavaScript expression every 50 ms until it is truthy; returns its value."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = driver.execute_script(f"return {condition}")
        if value:
            return value
        error = driver.execute_script("return document.getElementById('error').textContent")
        assert not error, f"the page says: {error}"
        time.sleep(0.05)
    raise TimeoutError(f"the page never showed: {condition}")


@pytest.mark.slow  # ~15 s: loading the models, starting Chromium, reading and writing
def test_write_read_and_write_again_in_the_browser(demo_url, browser):
    browser.get(demo_url)
    samples = line_to_samples(write(TEXT, writer=WRITER), origin=(30.0, 130.0))
    browser.execute_script(WRITE_STROKES, samples)
    n_points = sum(len(s) for s in samples)
    assert browser.find_element("id", "pad-status").text.endswith(f"{n_points} points")

    browser.find_element("id", "read").click()
    wait_for(browser, "document.getElementById('greedy').textContent")
    greedy = browser.find_element("id", "greedy").text
    assert char_error_rate([TEXT], [greedy]) <= 0.1, greedy  # measured: 0.0
    assert browser.find_elements("css selector", "#reading svg text.frame-letter")
    read_ms = float(browser.find_element("id", "read-status").get_attribute("data-ms"))

    text_box = browser.find_element("id", "text")
    text_box.clear()
    text_box.send_keys("written in my own hand")
    # Read chose "my line" and filled in what it read as the priming text
    assert browser.find_element("css selector", "input[value='line']").is_selected()
    browser.find_element("id", "write").click()
    wait_for(browser, "document.querySelector('#written svg path')")
    write_ms = float(browser.find_element("id", "write-status").get_attribute("data-ms"))
    assert "primed with your line" in browser.find_element("id", "write-status").text
    n_paths = len(browser.find_elements("css selector", "#written svg path"))

    href = browser.find_element("id", "gen-svg").get_attribute("href")
    with urllib.request.urlopen(href, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("image/svg+xml")
        svg = response.read().decode("utf-8")
    assert svg.startswith("<svg") and svg.count("<path") == n_paths
    print(
        f"\nbrowser, click to result: Read {read_ms / 1000:.2f} s ({len(TEXT)} characters, "
        f"read as {greedy!r}); Write {write_ms / 1000:.2f} s (primed with the written line)"
    )

    screenshot = os.environ.get("LAB_DEMO_SCREENSHOT")
    if screenshot:
        wait_for(browser, "document.getAnimations().length === 0")  # the pen is done
        height = browser.execute_script(
            "return document.documentElement.scrollHeight + outerHeight - innerHeight"
        )
        browser.set_window_size(1100, height)  # the whole page in one picture
        time.sleep(0.5)  # the attention window's last columns, the page laid out again
        browser.save_screenshot(screenshot)
