"""A real browser (Selenium driving Debian's chromium with chromium-driver): the Tim Admin
logs in, sees "Tugas saya", opens a LAPOR case and decides it; the Pejabat Penghubung logs in
and is refused; after the test clock moves on, an overdue step is marked. Screenshots go to
the folder given."""
import sys, urllib.parse
import requests
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from common import LAPOR, call

base, admin, lapor, shots = sys.argv[1:5]
s, b = call(base, "POST", "/api/cases", token=admin, body={"sop": LAPOR})
assert s == 201, b
case = b["id"]
s, b = call(base, "POST", f"/api/cases/{case}/complete", token=lapor, body={"step": "1", "documents": ["Laporan masyarakat"]})
assert s == 200, b

options = Options()
# The browser's own language is English: the pages stay Indonesian until the language button.
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en-US"]:
    options.add_argument(a)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(30)
failures = []
def check(what, ok):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)

def click(element):
    """Clicks a button or link and waits for the next page."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 20).until(lambda _: gone(old))

def gone(element):
    """True once the element left the document. Chromium answers a query on a node of a page
    being replaced either as stale or, in the middle of the swap, with an inspector error that
    the node "does not belong to the document": both mean the old page is gone."""
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise

def login(name):
    driver.delete_all_cookies()
    driver.get(base + "/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys("rahasia-" + name)
    click(driver.find_element(By.ID, "login"))

try:
    login("timadmin")
    check("the Tim Admin lands on Tugas saya", driver.find_element(By.TAG_NAME, "h1").text == "Tugas saya")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.tasks tbody tr")
    check("the LAPOR case's decision is in the task list", any(case in r.text for r in rows))
    check("the deadline is a date with working days left", any("hari kerja lagi" in r.text or "hari ini" in r.text for r in rows))
    driver.save_screenshot(f"{shots}/tugas-saya.png")
    click(driver.find_element(By.LINK_TEXT, case))
    check("the case page highlights the current step", len(driver.find_elements(By.CSS_SELECTOR, "ol.flow li.current")) == 1)
    current = driver.find_elements(By.CSS_SELECTOR, "figure.flowchart svg g.node.current")
    check("the case page draws the SOP with the current step marked on it", len(current) == 1)
    fill = current[0].find_element(By.CSS_SELECTOR, "polygon, path").value_of_css_property("fill") if current else ""
    check("the marked step is coloured by the style sheet", fill.replace(" ", "") == "rgb(255,243,196)")
    check("the steps already done are marked", len(driver.find_elements(By.CSS_SELECTOR, "figure.flowchart svg g.node.done")) >= 1)
    driver.save_screenshot(f"{shots}/kasus.png")
    click(driver.find_element(By.XPATH, "//button[@name='branch' and @value='ya']"))
    history = driver.find_element(By.CSS_SELECTOR, "ol.history").text
    check("the decision is in the history with the person", "timadmin" in history and "ya" in history)
    click(driver.find_element(By.CSS_SELECTOR, "form.logout button"))
    check("logged out", "/login" in driver.current_url)

    # Another role: the Pejabat Penghubung sees no decision form for the Tim Admin's step, and
    # the server refuses the command with the browser's own session (403 naming who may act).
    s, b = call(base, "POST", "/api/cases", token=admin, body={"sop": LAPOR})
    other = b["id"]
    call(base, "POST", f"/api/cases/{other}/complete", token=lapor, body={"step": "1", "documents": ["Laporan masyarakat"]})
    login("penghubung")
    driver.get(f"{base}/cases/{other}")
    check("no decision buttons for another role", not driver.find_elements(By.XPATH, "//button[@name='branch']"))
    check("the page says who may act", "Tim Admin" in driver.find_element(By.CSS_SELECTOR, "p.notice").text)
    csrf = driver.find_element(By.CSS_SELECTOR, "form.logout input[name=csrf]").get_attribute("value")
    jar = {c["name"]: c["value"] for c in driver.get_cookies()}
    r = requests.post(f"{base}/cases/{other}/act", cookies=jar, allow_redirects=False,
                      data={"csrf": csrf, "step": "verifikasi", "branch": "ya"})
    check(f"the server refuses the other role: {r.status_code}", r.status_code == 403 and "Tim Admin" in r.text)
    driver.get(f"{base}/cases/{other}")

    # The clock moves on a week: step 2's 3-5 hari have run out.
    s, b = call(base, "POST", "/api/test/clock", token=admin, body={"to": "2026-05-18 09:00"})
    assert s == 200, b
    login("timadmin")
    overdue = driver.find_elements(By.CSS_SELECTOR, "table.tasks tbody tr.overdue")
    check("an overdue step is marked", any("LEWAT BATAS" in r.text and other in r.text for r in overdue))
    driver.save_screenshot(f"{shots}/tugas-saya-lewat-batas.png")
    click(driver.find_element(By.CSS_SELECTOR, "form.lang button"))
    check("English on request", driver.find_element(By.TAG_NAME, "h1").text == "My tasks")
finally:
    driver.quit()
sys.exit(1 if failures else 0)
