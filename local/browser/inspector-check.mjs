// Drives the push inspector's page in real headless Chromium (Debian's /usr/bin/chromium through playwright-core):
// opens the page, causes one push to a device by calling a trigger URL, sees its row appear without a reload,
// makes the device's token dead with the page's own control, causes a second push and sees its row show the
// rejection; then saves a screenshot. Exits 0 when every step held, 1 otherwise (after a screenshot of the failure).
//
// What causes a push is not this script's business: it requests TRIGGER_URL, and whoever answers there pushes.
// LocalPushServerIT's sibling InspectorPageIT answers by sending with pushy; an end-to-end test points it at the
// listener's EWS callback URL with a SendNotification body, and checks the second answer says Unsubscribe.
//
// Environment (required first):
//   INSPECTOR_URL        the page, e.g. http://127.0.0.1:8090/
//   DEVICE_PLATFORM      apns or fcm
//   DEVICE_TOKEN         the device's full token (its rows and its control are found by it)
//   TRIGGER_URL          requested once before and once after the token dies; each request must cause one push
//   TRIGGER_METHOD       default POST
//   TRIGGER_BODY_FILE    a file sent as the request body (default: none)
//   TRIGGER_CONTENT_TYPE the body's Content-Type (default: text/xml; charset=utf-8 with a body file)
//   TRIGGER_HEADERS      more request headers, as a JSON object
//   EXPECT_FIRST         text the first trigger answer must contain (default: none)
//   EXPECT_AFTER_DEAD    text the second trigger answer must contain, e.g. Unsubscribe (default: none)
//   EXPECT_REJECTION     text the second row's result must contain (default: Unregistered / UNREGISTERED)
//   ROW_TIMEOUT_MS       how long a new row may take to appear (default 2000, the bound)
//   SCREENSHOT           the PNG to write (default inspector.png)
//   CHROMIUM             the browser (default /usr/bin/chromium)
// It prints one JSON line with what it measured.
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const inspectorUrl = required("INSPECTOR_URL");
const platform = required("DEVICE_PLATFORM");
const token = required("DEVICE_TOKEN");
const triggerUrl = required("TRIGGER_URL");
const rowTimeout = Number(process.env.ROW_TIMEOUT_MS || 2000);
const screenshot = process.env.SCREENSHOT || "inspector.png";
const expectedRejection =
  process.env.EXPECT_REJECTION || (platform === "fcm" ? "UNREGISTERED" : "Unregistered");

async function trigger(step, expected) {
  const headers = process.env.TRIGGER_HEADERS ? JSON.parse(process.env.TRIGGER_HEADERS) : {};
  let body;
  if (process.env.TRIGGER_BODY_FILE) {
    body = readFileSync(process.env.TRIGGER_BODY_FILE);
    headers["Content-Type"] = process.env.TRIGGER_CONTENT_TYPE || "text/xml; charset=utf-8";
  }
  const response = await fetch(triggerUrl, {
    method: process.env.TRIGGER_METHOD || "POST",
    headers,
    body,
    signal: AbortSignal.timeout(15000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${step}: the trigger answered ${response.status}: ${text.slice(0, 500)}`);
  if (expected && !text.includes(expected)) {
    throw new Error(`${step}: the trigger's answer lacks ${JSON.stringify(expected)}: ${text.slice(0, 500)}`);
  }
  return text;
}

// The rows of this device in the pushes table, found by the full token in their data attribute (compared in the
// page, so that no token is ever pasted into a selector).
function rowsOf(page) {
  return page.evaluate(
    ([p, t]) =>
      Array.from(document.querySelectorAll("#pushes tbody tr"))
        .filter((row) => row.dataset.platform === p && row.dataset.token === t)
        .map((row) => ({
          sequence: Number(row.dataset.sequence),
          accepted: row.classList.contains("accepted"),
          result: row.querySelector("td.result").textContent,
        })),
    [platform, token],
  );
}

async function newRow(page, after, step) {
  const started = Date.now();
  await page.waitForFunction(
    ([p, t, seen]) =>
      Array.from(document.querySelectorAll("#pushes tbody tr")).some(
        (row) => row.dataset.platform === p && row.dataset.token === t && Number(row.dataset.sequence) > seen,
      ),
    [platform, token, after],
    { timeout: rowTimeout, polling: 50 },
  ).catch(() => {
    throw new Error(`${step}: no new row for the device within ${rowTimeout} ms`);
  });
  const rows = await rowsOf(page);
  return { row: rows.find((r) => r.sequence > after), ms: Date.now() - started };
}

const userDataDir = mkdtempSync(join(tmpdir(), "inspector-chromium-"));
let context;
let page;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1400, height: 900 },
  });
  page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });

  await page.goto(inspectorUrl, { waitUntil: "load" });
  await page.waitForSelector('#status[data-state="live"]', { timeout: 5000 });
  // Set once: a reload would lose it, so finding it at the end proves the rows came without one.
  await page.evaluate(() => (window.__sameDocument = true));
  const before = (await rowsOf(page)).reduce((max, r) => Math.max(max, r.sequence), 0);

  await trigger("first push", process.env.EXPECT_FIRST);
  const first = await newRow(page, before, "first push");
  if (!first.row.accepted) throw new Error(`first push: its row says ${first.row.result}, not accepted`);

  const button = await page.waitForFunction(
    ([p, t]) =>
      Array.from(document.querySelectorAll("#devices button")).find(
        (b) => b.dataset.platform === p && b.dataset.token === t,
      ) || null,
    [platform, token],
    { timeout: rowTimeout },
  );
  await button.asElement().click();
  await page.waitForFunction(
    ([p, t]) =>
      Array.from(document.querySelectorAll("#devices button")).some(
        (b) => b.dataset.platform === p && b.dataset.token === t && b.disabled,
      ),
    [platform, token],
    { timeout: 5000 },
  );

  const answer = await trigger("push after the token died", process.env.EXPECT_AFTER_DEAD);
  const dead = await newRow(page, first.row.sequence, "push after the token died");
  if (dead.row.accepted || !dead.row.result.includes(expectedRejection)) {
    throw new Error(`push after the token died: its row says ${dead.row.result}, not ${expectedRejection}`);
  }
  if (!(await page.evaluate(() => window.__sameDocument === true))) {
    throw new Error("the page was reloaded");
  }
  if (problems.length > 0) throw new Error(problems.join("; "));

  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(
    JSON.stringify({
      ok: true,
      firstRowMs: first.ms,
      firstResult: first.row.result,
      deadRowMs: dead.ms,
      deadResult: dead.row.result,
      secondTriggerAnswer: answer.slice(0, 200),
      screenshot,
    }),
  );
} catch (error) {
  console.error(`inspector check failed: ${error.message}`);
  if (page) {
    await page.screenshot({ path: screenshot.replace(/\.png$/, "") + "-failure.png", fullPage: true }).catch(() => {});
  }
  process.exitCode = 1;
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
