"""Drives the dashboard in headless Chromium (scripts/ui-test): python3 ui_test.py URL TOKEN SCREENSHOT MIN_WORKERS.

Loads the dashboard of a server that a demo fleet is feeding, then checks, each step waiting up to
its own timeout and naming what it waited for when it fails:
  1. the page connects with the token (status line "connected: ...");
  2. at least MIN_WORKERS workers are listed, and as many are drawn on the map canvas;
  3. workers move: at least one listed worker's position changes while the page is open (positions
     arrive over the SSE stream, not by reloading), and at least 3 workers show the state moving;
  4. the event feed fills from the event stream;
  5. the map canvas holds worker dots (pixels of the moving/stopped colours), fences and a scale bar;
  6. the day replay loads a worker's track and the time slider moves the replay clock;
  7. the attendance table has rows.
Saves a screenshot of the whole page to SCREENSHOT. Exit 0 when every check passed, 1 otherwise.
Uses Debian's chromium and chromedriver (/usr/bin), never a downloaded driver (SE_OFFLINE).
"""

import os
import sys
import time

os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


class Failed(Exception):
    pass


def wait_for(what, timeout_s, probe, interval_s=0.25):
    """Polls probe() until it returns a truthy value; raises Failed naming `what` after timeout_s."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        try:
            last = probe()
        except Exception as error:  # a stale element between two renders: try again
            last = error
            value = None
        else:
            value = last
        if value:
            return value
        time.sleep(interval_s)
    raise Failed(f"timed out after {timeout_s} s waiting for {what} (last seen: {last!r})")


def worker_rows(driver):
    return driver.execute_script(
        """return [...document.querySelectorAll('#workers tr[data-device]')].map((tr) => ({
             device: tr.dataset.device, lat: +tr.dataset.lat, lon: +tr.dataset.lon, time: +tr.dataset.time,
             state: tr.children[1].textContent }));"""
    )


# Colours the page draws with (DashboardPage.swift): moving #1a7f37, stopped #e6550d, stale #999.
CANVAS_CENSUS = """
const canvas = document.getElementById('map');
const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
let moving = 0, stopped = 0, stale = 0, inked = 0;
for (let i = 0; i < data.length; i += 4) {
  const r = data[i], g = data[i + 1], b = data[i + 2], a = data[i + 3];
  if (a === 0) continue;
  inked++;
  if (r === 0x1a && g === 0x7f && b === 0x37) moving++;
  else if (r === 0xe6 && g === 0x55 && b === 0x0d) stopped++;
  else if (r === 0x99 && g === 0x99 && b === 0x99) stale++;
}
return { width: canvas.width, height: canvas.height, inked, moving, stopped, stale,
         drawn: +(canvas.dataset.drawnWorkers || 0) };
"""


def main():
    url, token, screenshot, min_workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1400,900", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    failures = []
    try:
        driver.get(f"{url}/#token={token}")

        status = wait_for("the status line to say connected", 60,
                          lambda: (lambda t: t if t.startswith("connected") else None)(
                              driver.find_element(By.ID, "status").text))
        print(f"ui-test: {status}")

        rows = wait_for(f"at least {min_workers} workers in the list", 120,
                        lambda: (lambda r: r if len(r) >= min_workers else None)(worker_rows(driver)))
        count = int(driver.find_element(By.ID, "worker-count").text)
        census = driver.execute_script(CANVAS_CENSUS)
        print(f"ui-test: {len(rows)} workers listed (header says {count}), {census['drawn']} drawn on the map")
        if count != len(rows):
            failures.append(f"the header counts {count} workers, the list has {len(rows)}")
        if census["drawn"] < min_workers:
            failures.append(f"only {census['drawn']} workers drawn on the map, expected at least {min_workers}")

        first = {r["device"]: (r["lat"], r["lon"], r["time"]) for r in rows}

        def moved():
            now = worker_rows(driver)
            changed = [r for r in now if r["device"] in first and (r["lat"], r["lon"]) != first[r["device"]][:2]
                       and r["time"] > first[r["device"]][2]]
            return changed or None

        changed = wait_for("a listed worker to move (a newer fix at another position over SSE)", 90, moved)
        print(f"ui-test: {len(changed)} workers moved while the page was open, e.g. {changed[0]['device']}")

        # The day goes on: wait until workers are on their way (state moving in the list, green dots).
        want_moving = min(3, min_workers)
        moving = wait_for(f"at least {want_moving} workers in state moving", 180,
                          lambda: (lambda m: m if len(m) >= want_moving else None)(
                              [r for r in worker_rows(driver) if r["state"] == "moving"]))
        print(f"ui-test: {len(moving)} workers moving, e.g. {moving[0]['device']}")

        feed = wait_for("events in the feed", 90,
                        lambda: driver.execute_script(
                            "return [...document.querySelectorAll('#feed li')].map((li) => li.dataset.kind);"))
        kinds = sorted(set(feed))
        print(f"ui-test: {len(feed)} events in the feed, kinds {', '.join(kinds)}")

        census = driver.execute_script(CANVAS_CENSUS)
        print(f"ui-test: canvas {census['width']}x{census['height']}: {census['inked']} inked pixels, "
              f"worker dots: {census['moving']} moving, {census['stopped']} stopped, {census['stale']} stale pixels")
        if census["moving"] == 0:
            failures.append(f"no moving worker (green dot) drawn on the map: {census}")
        if census["moving"] + census["stopped"] + census["stale"] < 20 * min_workers:
            failures.append(f"the map shows too few worker pixels: {census}")
        if census["inked"] < census["moving"] + census["stopped"] + census["stale"] + 1000:
            failures.append(f"the map shows workers but no fences or scale bar: {census}")
        if census["width"] < 400 or census["height"] < 300:
            failures.append(f"the map canvas is too small: {census['width']}x{census['height']}")

        # Replay: the first worker's day, then move the slider.
        device = rows[0]["device"]
        Select(driver.find_element(By.ID, "replay-device")).select_by_value(device)
        driver.find_element(By.ID, "replay-load").click()
        slider = driver.find_element(By.ID, "replay-time")
        wait_for(f"the replay of {device} to load (slider enabled)", 60,
                 lambda: slider.is_enabled() and int(slider.get_attribute("max")) > 0)
        clock_at_start = driver.find_element(By.ID, "replay-clock").text
        last = int(slider.get_attribute("max"))
        driver.execute_script(
            "const s = arguments[0]; s.value = s.max; s.dispatchEvent(new Event('input', { bubbles: true }));", slider)
        clock_at_end = wait_for("the replay clock to follow the slider", 10,
                                lambda: (lambda t: t if t != clock_at_start else None)(
                                    driver.find_element(By.ID, "replay-clock").text))
        print(f"ui-test: replay of {device}: {last + 1} fixes, clock {clock_at_start} -> {clock_at_end}")

        attendance = wait_for("rows in the attendance table", 60,
                              lambda: driver.find_elements(By.CSS_SELECTOR, "#attendance tr"))
        print(f"ui-test: attendance table: {len(attendance)} rows")
    except Failed as error:
        failures.append(str(error))
    finally:
        try:
            driver.save_screenshot(screenshot)
            print(f"ui-test: screenshot {screenshot}")
        except Exception as error:
            failures.append(f"no screenshot: {error}")
        for entry in driver.get_log("browser") if failures else []:
            print(f"ui-test: browser console: {entry.get('level')} {entry.get('message')}")
        driver.quit()
    for failure in failures:
        print(f"ui-test: FAILED: {failure}")
    print("ui-test: passed" if not failures else f"ui-test: {len(failures)} failures")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
