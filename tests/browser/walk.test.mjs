// The whole walk in Debian's Chromium against the real server: with JavaScript (htmx) and without, at desktop and
// phone widths, watching every page for console errors, failed requests and requests to other hosts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const target = process.env.CARGO_TARGET_DIR || path.join(root, 'target');
const binary = path.join(target, 'debug', 'miniboard');
const screenshots = path.join(target, 'screenshots');
const axeSource = readFileSync(path.join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const PASSWORD = 'walk-password-1';

let server;
// What the server logged: with no SMTP server set, each mail is written there whole, links and all.
let serverLog = '';
let base;
let browser;
let workDir;
const problems = [];
// Pages a test visits for their 404 or 422 (set before going there).
const pagesWith4xx = new Set();

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function waitForHealth() {
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('miniboard did not start');
}

before(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'miniboard-browser-'));
  mkdirSync(screenshots, { recursive: true });
  const db = path.join(workDir, 'board.db');
  // A board to walk around in, with one question long enough to page its answers.
  // Comments only on the thread's first page (five a post), so its "show more" is predictable.
  execFileSync(binary, ['seed', '--users', '5', '--questions', '25', '--answers', '20', '--likes', '20', '--comments', '0',
    '--accepted', '5', '--thread', '14'], {
    env: { ...process.env, MINIBOARD_DATABASE: db },
    stdio: 'ignore',
  });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(binary, ['serve'], {
    env: {
      ...process.env, MINIBOARD_DATABASE: db, MINIBOARD_BIND: `127.0.0.1:${port}`,
      MINIBOARD_LOG: 'warn,miniboard::mail=info',
      // The walk signs up more people from one address than the default ten an hour.
      MINIBOARD_SIGNUPS_PER_HOUR: '50',
      // Its new accounts ask and answer faster than a new account may (the API tests check those limits).
      MINIBOARD_NEW_ACCOUNT_QUESTIONS: '50', MINIBOARD_NEW_ACCOUNT_REPLIES: '50',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server.stderr.setEncoding('utf8');
  server.stderr.on('data', (chunk) => { serverLog += chunk; });
  await waitForHealth();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** A fresh browser context (its own cookies), watched for problems. */
async function newPage({ javaScript = true, width = 1280, height = 900 } = {}) {
  // Reduced motion: no transitions half-way through in a screenshot.
  const context = await browser.newContext({
    javaScriptEnabled: javaScript, viewport: { width, height }, reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const label = `${javaScript ? 'js' : 'no-js'} ${width}px`;
  page.on('console', (message) => {
    // Chromium reports every 4xx page as a failed load; the pages a test goes to for their 4xx are not.
    const expected = /^Failed to load resource: .* status of 4\d\d/.test(message.text()) && pagesWith4xx.has(page.url());
    if (message.type() === 'error' && !expected) problems.push(`${label} console: ${message.text()} (${page.url()})`);
  });
  page.on('pageerror', (error) => problems.push(`${label} page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A navigation cancels what the old page still had in flight (a favicon, say): that is not a failure.
    const reason = request.failure()?.errorText ?? '';
    if (reason !== 'net::ERR_ABORTED') problems.push(`${label} failed: ${request.url()} (${reason})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`${label} ${response.status()}: ${response.url()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:')) {
      problems.push(`${label} request to another host: ${request.url()}`);
    }
  });
  return page;
}

async function signUp(page, name) {
  await page.goto(`${base}/signup`);
  await page.fill('#field-username', name);
  await page.fill('#field-email', `${name}@example.com`);
  await page.fill('#field-password1', PASSWORD);
  await page.fill('#field-password2', PASSWORD);
  await page.click('form[action="/signup"] button[type=submit]');
  await page.waitForURL(`${base}/`);
  assert.match(await page.locator('#flash').innerText(), /Welcome/);
}

async function logIn(page, name) {
  await page.goto(`${base}/login`);
  await page.fill('#field-username', name);
  await page.fill('#field-password', PASSWORD);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${base}/`);
  assert.equal(await page.locator('nav a[href="/account"]').innerText(), name);
}

async function logOut(page) {
  await page.click('form[action="/logout"] button');
  await page.waitForURL(`${base}/`);
  await page.locator('nav a[href="/signup"]').waitFor();
}

async function ask(page, subject, content, tags = '') {
  await page.goto(`${base}/questions/new`);
  await page.fill('#field-subject', subject);
  await page.fill('#field-content', content);
  if (tags) await page.fill('#field-tags', tags);
  await page.click('form[action="/questions"] button[type=submit]');
  await page.waitForURL(/\/questions\/\d+$/);
  return Number(new URL(page.url()).pathname.split('/').pop());
}

/** The path of the first link to `prefix` mailed to `name` since the log was `since` long (waits for it). */
async function mailedLink(prefix, name, since) {
  const pattern = new RegExp(`Hello ${name},[\\s\\S]*?${base}(${prefix}[0-9a-f]{64})`);
  for (let i = 0; i < 200; i++) {
    const found = serverLog.slice(since).match(pattern);
    if (found) return found[1];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${prefix} link mailed to ${to}`);
}

/** Fails on serious or critical accessibility violations (axe-core). */
async function assertAccessible(page) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `accessibility on ${page.url()}`);
}

test('the walk with JavaScript: htmx updates in place', async () => {
  const page = await newPage();
  await signUp(page, 'alice');
  await logOut(page);
  await logIn(page, 'alice');

  // Korean and back: a full reload, so <html lang> follows.
  await page.click('#language-switch button');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  assert.match(await page.locator('#site-nav').innerText(), /로그아웃/);
  await page.click('#language-switch button');
  await page.waitForFunction(() => document.documentElement.lang === 'en');

  // While asking: questions like the subject appear under it, and the tags field suggests names.
  await page.goto(`${base}/questions/new`);
  await page.locator('#field-subject').pressSequentially('python flask', { delay: 20 });
  await page.locator('#similar-questions [data-similar] a[target="_blank"]').first().waitFor();
  await page.locator('#field-tags').pressSequentially('py', { delay: 20 });
  await page.waitForFunction(() => document.querySelectorAll('#tag-suggestions option').length > 0);
  assert.match(await page.locator('#tag-suggestions option').first().getAttribute('value'), /^py\S* $/);
  await assertAccessible(page);
  const question = await ask(page, 'How do I deploy behind nginx?', 'I tried **gunicorn** first.\n\n```bash\nnginx -t\n```',
    'Nginx, deploy 배포');
  assert.equal(await page.locator(`#question-${question} strong`).innerText(), 'gunicorn');
  // Its tags, lower-cased, each a link to the tag's questions (boosted: the list swaps in).
  assert.deepEqual(await page.locator(`#question-${question} .tag-list a`).allInnerTexts(), ['nginx', 'deploy', '배포']);
  // Related questions under it, each with its state in words.
  assert.ok(await page.locator('[data-related] a').count() > 0, 'related questions show');
  assert.equal(await page.locator('[data-related] [data-state]').count(), await page.locator('[data-related]').count());
  // The asker's name leads to her profile; its tabs switch in place.
  await page.click(`#question-${question} a.author`);
  await page.waitForURL(/\/users\/alice$/);
  assert.equal(await page.locator('#profile-name').innerText(), 'alice');
  await page.evaluate(() => { window.stillHere = true; });
  await page.click('#profile-posts a.nav-link:has-text("Answers")');
  await page.waitForURL(/\/users\/alice\?tab=answers$/);
  await page.locator('#profile-posts a.nav-link.active:has-text("Answers")').waitFor();
  assert.equal(await page.evaluate(() => window.stillHere), true);
  await assertAccessible(page);
  await page.goto(`${base}/questions/${question}`);
  await page.click(`#question-${question} .tag-list a:has-text("배포")`);
  await page.waitForURL(/\/tags\/%EB%B0%B0%ED%8F%AC$/);
  assert.match(await page.locator('h1').innerText(), /Questions tagged \[배포\]/);
  assert.equal(await page.locator(`#question-${question}`).count(), 1);
  // Following the tag swaps the button in place, its state in words.
  await page.evaluate(() => { window.stillHere = true; });
  await page.click('[data-follow="not-following"] button');
  await page.locator('[data-follow="following"] button[aria-pressed="true"]:has-text("Following")').waitFor();
  assert.equal(await page.evaluate(() => window.stillHere), true);
  await assertAccessible(page);
  await page.click('nav a[href="/tags"]');
  await page.waitForURL(`${base}/tags`);
  await page.locator('[data-tag="nginx"]').waitFor();
  await assertAccessible(page);
  await logOut(page);

  await signUp(page, 'bob');
  await page.goto(`${base}/questions/${question}`);
  await page.fill('#field-content', 'Check the **socket** permissions.');
  await page.click('#answer-form button[type=submit]');
  const mine = page.locator('article:has-text("socket permissions")');
  await mine.waitFor();
  const answerId = await mine.getAttribute('id');
  // The page went to the new answer: its anchor is in the URL, and it is on screen.
  await page.waitForURL(new RegExp(`/questions/${question}(\\?[^#]*)?#${answerId}$`));
  assert.ok(await mine.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.top < window.innerHeight;
  }), 'the new answer is scrolled into view');

  // Like the question: the count changes in place, the page does not navigate.
  await page.evaluate(() => { window.stillHere = true; });
  const like = page.locator(`#question-${question} [data-like="toggle"] button`);
  assert.equal(await like.getAttribute('aria-pressed'), 'false');
  await like.click();
  await page.locator(`#question-${question} [data-like="toggle"] button[aria-pressed="true"]`).waitFor();
  assert.equal(await page.locator(`#question-${question} [data-like-count]`).innerText(), '1');
  assert.equal(await page.evaluate(() => window.stillHere), true);
  assert.match(page.url(), new RegExp(`/questions/${question}`));
  // Bob's own answer cannot be liked.
  assert.equal(await page.locator(`#${answerId} [data-like="toggle"] button`).isDisabled(), true);

  // Edit the answer in place.
  await page.click(`#${answerId} a:has-text("Edit")`);
  await page.locator(`#${answerId} textarea`).fill('Check the socket **group**.');
  await page.click(`#${answerId} button[type=submit]`);
  await page.locator(`#${answerId} [data-content] strong`).waitFor();
  assert.equal(await page.locator(`#${answerId} [data-content] strong`).innerText(), 'group');
  assert.equal(await page.evaluate(() => window.stillHere), true);

  // Delete it, confirming in the dialog.
  page.once('dialog', (dialog) => dialog.accept());
  await page.click(`#${answerId} a:has-text("Delete")`);
  // HX-Redirect reloads the page it is already on: wait for the reloaded page's message, not the URL.
  await page.locator('#flash:has-text("answer was deleted")').waitFor();
  assert.equal(new URL(page.url()).pathname, `/questions/${question}`);
  assert.equal(await page.locator(`#answers #${answerId}`).count(), 0);
  assert.equal(await page.locator(`#deleted-answers #${answerId}`).count(), 1, 'its author still sees it, marked');

  // Bob answers again; Alice, who asked, accepts it in place, and takes it back.
  await page.fill('#field-content', 'Run nginx as the **www-data** user.');
  await page.click('#answer-form button[type=submit]');
  const second = page.locator('article:has-text("www-data")');
  await second.waitFor();
  const secondId = await second.getAttribute('id');
  assert.equal(await page.locator('[data-accept-form]').count(), 0, 'only the asker sees "Accept"');
  await logOut(page);
  await logIn(page, 'alice');
  // Alice hears of Bob's answer: the navbar counts it; the inbox links to the answer itself.
  assert.equal(await page.locator('#inbox-link').getAttribute('data-unread'), '1');
  await page.click('#inbox-link');
  await page.waitForURL(`${base}/notifications`);
  assert.match(await page.locator('#notifications li').first().innerText(), /New\s+bob answered your question/);
  assert.equal(await page.locator('#inbox-link').getAttribute('data-unread'), '0');
  await assertAccessible(page);
  await page.click(`#notifications a[href="/answers/${secondId.replace('answer-', '')}"]`);
  await page.waitForURL(new RegExp(`/questions/${question}.*#${secondId}$`));
  await page.evaluate(() => { window.stillHere = true; });
  await page.click(`#${secondId} [data-accept-form] button`);
  await page.locator(`#${secondId}[data-accepted] [data-accepted-badge]`).waitFor();
  assert.match(await page.locator(`#${secondId} [data-accepted-badge]`).innerText(), /Accepted answer/);
  assert.equal(await page.locator('#answers article').first().getAttribute('id'), secondId);
  assert.equal(await page.evaluate(() => window.stillHere), true);
  // The focus stays on the button just pressed, on the answer now first, which is on screen.
  assert.equal(await page.evaluate(() => document.activeElement?.id), `accept-${secondId.replace('answer-', '')}`);
  assert.ok(await page.locator(`#${secondId}`).evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  }), 'the accepted answer is on screen');
  await page.goto(`${base}/`);
  assert.match(await page.locator(`#question-${question} [data-state]`).innerText(), /Accepted/);
  await page.goto(`${base}/questions/${question}`);
  await page.click(`#${secondId} [data-accept-form] button:has-text("Unaccept")`);
  await page.locator(`#${secondId}:not([data-accepted])`).waitFor();
  await logOut(page);
  await logIn(page, 'bob');

  // Bob comments on Alice's question in place: the form opens where the link was, the comment appears
  // without a reload; he edits it in place, then deletes it.
  await page.goto(`${base}/questions/${question}`);
  await page.evaluate(() => { window.stillHere = true; });
  const underQuestion = `#comments-q-${question}`;
  await page.click(`${underQuestion} .comment-add`);
  // The form opens with the focus in its text box.
  await page.locator(`#field-content-q-${question}:focus`).waitFor();
  await page.fill(`#field-content-q-${question}`, 'Which **nginx** version? See [the docs](https://nginx.org).');
  await page.click(`${underQuestion} form button[type=submit]`);
  const comment = page.locator(`${underQuestion} li.comment:has-text("Which")`);
  await comment.waitFor();
  assert.equal(await comment.locator('strong').innerText(), 'nginx');
  assert.equal(await comment.locator('a[rel~="nofollow"]').getAttribute('href'), 'https://nginx.org');
  const commentId = await comment.getAttribute('id');
  await page.click(`#${commentId} a:has-text("Edit")`);
  await page.locator(`#${commentId} textarea`).fill('Which nginx version, exactly?');
  await page.click(`#${commentId} button[type=submit]`);
  await page.locator(`#${commentId}:has-text("exactly")`).waitFor();
  assert.equal(await page.evaluate(() => window.stillHere), true);
  // Its link leads back here, to the comment, which is marked (clicked, with htmx on the page).
  await page.click(`#${commentId} a.comment-link`);
  await page.waitForURL(new RegExp(`/questions/${question}#${commentId}$`));
  assert.equal(await page.locator(`#${commentId}`).evaluate((el) => el.matches(':target')), true);
  await assertAccessible(page);
  page.once('dialog', (dialog) => dialog.accept());
  await page.click(`#${commentId} a:has-text("Delete")`);
  await page.locator(`#${commentId}`).waitFor({ state: 'detached' });
  assert.equal(await page.locator(`${underQuestion} li.comment`).count(), 0);

  // The seeded thread shows five comments a post; a sixth on its question hides behind "Show 1 more".
  await page.goto(`${base}/`);
  await page.click('.nav-tabs a:has-text("Most answered")');
  await page.locator('#question-list li a').first().click();
  await page.waitForURL(/\/questions\/\d+$/);
  const threadId = new URL(page.url()).pathname.split('/').pop();
  const busy = `#comments-q-${threadId}`;
  assert.equal(await page.locator(`${busy} li.comment`).count(), 5);
  await page.click(`${busy} .comment-add`);
  await page.fill(`#field-content-q-${threadId}`, 'One remark more.');
  await page.click(`${busy} form button[type=submit]`);
  await page.locator(`${busy} li.comment:has-text("One remark more")`).waitFor();
  await page.reload();
  assert.equal(await page.locator(`${busy} li.comment`).count(), 5);
  await page.click(`${busy} a.comments-more:has-text("Show 1 more comment")`);
  await page.locator(`${busy} li.comment:has-text("One remark more")`).waitFor();
  assert.equal(await page.locator(`${busy} li.comment`).count(), 6);

  // Page and sort the long thread's answers in place; the URL is pushed and Back works.
  await page.goto(`${base}/`);
  await page.click('.nav-tabs a:has-text("Most answered")');
  await page.waitForURL(/sort=answers/);
  await page.locator('#question-list li a').first().click();
  await page.waitForURL(/\/questions\/\d+$/);
  const thread = page.url();
  const firstOnPage1 = await page.locator('#answers article').first().getAttribute('id');
  await page.evaluate(() => { window.stillHere = true; });
  await page.click('#answers .pagination a:has-text("2")');
  await page.waitForURL(/apage=2/);
  assert.notEqual(await page.locator('#answers article').first().getAttribute('id'), firstOnPage1);
  await page.click('#answers .nav-pills a:has-text("Newest")');
  await page.waitForURL(/asort=recent/);
  assert.equal(await page.evaluate(() => window.stillHere), true);
  await page.goBack();
  await page.waitForURL(/apage=2/);
  await page.goBack();
  await page.waitForURL(thread);
  await page.locator(`#answers #${firstOnPage1}`).waitFor();

  // Search, with the hits marked.
  await page.goto(`${base}/`);
  await page.fill('#search-q', 'nginx');
  await page.press('#search-q', 'Enter');
  await page.waitForURL(/q=nginx/);
  assert.match(await page.locator('#question-list mark').first().innerText(), /nginx/i);
  await logOut(page);
  await page.context().close();
});

test('the walk without JavaScript: links, forms and redirects', async () => {
  const page = await newPage({ javaScript: false });
  await signUp(page, 'carol');
  await logOut(page);
  await logIn(page, 'carol');
  // A wrong tag comes back named (a 422), with what was typed kept.
  pagesWith4xx.add(`${base}/questions`);
  await page.goto(`${base}/questions/new`);
  await page.fill('#field-subject', 'Plain forms only');
  await page.fill('#field-content', 'No *script* here.');
  await page.fill('#field-tags', 'forms <b>');
  await page.click('form[action="/questions"] button[type=submit]');
  assert.match(await page.locator('#field-tags-error').innerText(), /“<b>”/);
  assert.equal(await page.inputValue('#field-subject'), 'Plain forms only');
  await page.fill('#field-tags', 'forms');
  await page.click('form[action="/questions"] button[type=submit]');
  await page.waitForURL(/\/questions\/\d+$/);
  const question = Number(new URL(page.url()).pathname.split('/').pop());
  // Browse by tag and filter the tags, all by links and forms.
  await page.click(`#question-${question} .tag-list a`);
  await page.waitForURL(`${base}/tags/forms`);
  await page.click('a:has-text("All tags")');
  await page.waitForURL(`${base}/tags`);
  await page.fill('#tags-q', 'FOR');
  await page.click('form[action="/tags"] button[type=submit]');
  await page.waitForURL(/\/tags\?q=FOR$/);
  await page.locator('[data-tag="forms"]').waitFor();
  await logOut(page);
  await signUp(page, 'dave');
  // Following a tag is a plain form that comes back to the tag's page.
  await page.goto(`${base}/tags/forms`);
  await page.click('[data-follow="not-following"] button');
  await page.waitForURL(`${base}/tags/forms`);
  await page.locator('[data-follow="following"]').waitFor();
  await page.goto(`${base}/questions/${question}`);
  await page.click(`#question-${question} [data-like="toggle"] button`);
  await page.waitForURL(new RegExp(`/questions/${question}`));
  assert.equal(await page.locator(`#question-${question} [data-like-count]`).innerText(), '1');
  await page.fill('#field-content', 'An answer without JavaScript.');
  await page.click('#answer-form button[type=submit]');
  await page.waitForURL(/#answer-\d+$/);
  const answerId = new URL(page.url()).hash.slice(1);
  // Edit through the edit page.
  await page.click(`#${answerId} a:has-text("Edit")`);
  await page.waitForURL(/\/answers\/\d+\/edit$/);
  await page.locator('textarea').fill('Edited on its own page.');
  await page.click('form[action$="/edit"] button[type=submit]');
  await page.waitForURL(new RegExp(`#${answerId}$`));
  assert.match(await page.locator(`#${answerId}`).innerText(), /Edited on its own page/);
  // Delete through the confirmation page.
  await page.click(`#${answerId} a:has-text("Delete")`);
  await page.waitForURL(/\/answers\/\d+\/delete$/);
  await page.click('form button.btn-danger');
  await page.waitForURL(`${base}/questions/${question}#${answerId}`);
  assert.match(await page.locator('#flash').innerText(), /answer was deleted/);
  // Paging and search are plain links and forms.
  await page.goto(`${base}/`);
  await page.click('.pagination a:has-text("2")');
  await page.waitForURL(/page=2/);
  await page.fill('#search-q', 'plain');
  await page.press('#search-q', 'Enter');
  await page.waitForURL(/q=plain/);
  assert.match(await page.locator('#question-list').innerText(), /Plain forms only/);
  // Dave answers again; Carol, who asked, accepts it with a plain form and lands on it.
  await page.goto(`${base}/questions/${question}`);
  await page.fill('#field-content', 'A second answer, to be accepted.');
  await page.click('#answer-form button[type=submit]');
  await page.waitForURL(/#answer-\d+$/);
  const acceptedId = new URL(page.url()).hash.slice(1);
  await logOut(page);
  await logIn(page, 'carol');
  // Carol hears of Dave's answers: the inbox is a plain page, "Mark all read" a plain form.
  await page.click('#inbox-link');
  await page.waitForURL(`${base}/notifications`);
  assert.match(await page.locator('#notifications').innerText(), /dave answered your question/);
  await page.click('#mark-all-read');
  await page.waitForURL(`${base}/notifications`);
  assert.equal(await page.locator('#mark-all-read').count(), 0);
  await page.goto(`${base}/questions?sort=unaccepted`);
  assert.match(await page.locator('#question-list').innerText(), /Plain forms only/);
  await page.goto(`${base}/questions/${question}`);
  await page.click(`#${acceptedId} [data-accept-form] button`);
  await page.waitForURL(new RegExp(`#${acceptedId}$`));
  assert.match(await page.locator(`#${acceptedId} [data-accepted-badge]`).innerText(), /Accepted answer/);
  await page.goto(`${base}/questions?sort=unaccepted`);
  assert.doesNotMatch(await page.locator('#question-list').innerText(), /Plain forms only/);
  // Carol comments on the accepted answer: "Add a comment" leads to its comments page with the form, and
  // the comment lands back on the question, marked.
  await page.goto(`${base}/questions/${question}`);
  const answerNumber = acceptedId.replace('answer-', '');
  await page.click(`#comments-a-${answerNumber} .comment-add`);
  await page.waitForURL(new RegExp(`/answers/${answerNumber}/comments#comment-form-a-${answerNumber}$`));
  await page.fill(`#field-content-a-${answerNumber}`, 'Thanks, that was it.');
  await page.click(`#comment-form-a-${answerNumber} button[type=submit]`);
  await page.waitForURL(new RegExp(`/questions/${question}#comment-\\d+$`));
  const commentId = new URL(page.url()).hash.slice(1);
  assert.match(await page.locator(`#${commentId}`).innerText(), /Thanks, that was it/);
  assert.equal(await page.locator(`#${commentId}`).evaluate((el) => el.matches(':target')), true);
  // Edit on its own page, delete through the confirmation page.
  await page.click(`#${commentId} a:has-text("Edit")`);
  await page.waitForURL(/\/comments\/\d+\/edit$/);
  await page.locator('textarea').fill('Thanks, edited.');
  await page.click('form[action$="/edit"] button[type=submit]');
  await page.waitForURL(new RegExp(`#${commentId}$`));
  assert.match(await page.locator(`#${commentId}`).innerText(), /Thanks, edited/);
  await page.click(`#${commentId} a:has-text("Delete")`);
  await page.waitForURL(/\/comments\/\d+\/delete$/);
  await page.click('form button.btn-danger');
  await page.waitForURL(new RegExp(`/questions/${question}#answer-${answerNumber}$`));
  assert.match(await page.locator('#flash').innerText(), /comment was deleted/);
  assert.equal(await page.locator(`#${commentId}`).count(), 0);
  await logOut(page);
  await page.context().close();
});

/**
 * Mail, as a new user meets it: the link mailed at sign-up confirms the address (a page, then its button),
 * "forgot password" on the log-in page mails a link that sets a new one and logs in, the account page chooses
 * what is mailed, and the account is deleted from there.
 */
async function mailWalk(javaScript, name) {
  const page = await newPage({ javaScript });
  const email = `${name}@example.com`;
  const signedUpAt = serverLog.length;
  await signUp(page, name);
  const confirm = await mailedLink('/email/verify/', name, signedUpAt);
  await page.goto(`${base}/account`);
  assert.equal(await page.locator('#email [data-verified]').getAttribute('data-verified'), 'false');
  await page.goto(base + confirm);
  await page.click('#confirm-address');
  await page.locator('#verified[data-outcome="done"]').waitFor();
  await page.goto(`${base}/account`);
  assert.equal(await page.locator('#email [data-verified]').getAttribute('data-verified'), 'true');
  await logOut(page);

  await page.goto(`${base}/login`);
  await page.click('#forgot-password');
  await page.waitForURL(`${base}/password/forgot`);
  const askedAt = serverLog.length;
  await page.fill('#field-email', email);
  await page.click('form[action="/password/forgot"] button[type=submit]');
  await page.locator('#check-inbox').waitFor();
  const reset = await mailedLink('/password/reset/', name, askedAt);
  await page.goto(base + reset);
  await page.fill('#field-password1', 'a new walk password');
  await page.fill('#field-password2', 'a new walk password');
  await page.click('form[action^="/password/reset/"] button[type=submit]');
  await page.waitForURL(`${base}/`);
  assert.match(await page.locator('#flash').innerText(), /new password is set/);
  assert.equal(await page.locator('nav a[href="/account"]').innerText(), name);
  // Used once: the link's page says so now.
  pagesWith4xx.add(base + reset);
  await page.goto(base + reset);
  await page.locator('#link-invalid').waitFor();

  await page.goto(`${base}/account`);
  await page.check('#mail-mention');
  await page.click('form[action="/account/mail"] button[type=submit]');
  // Back on the account page (at its mail section without JavaScript; htmx's boosted form keeps no hash).
  await page.locator('#flash:has-text("choices were saved")').waitFor();
  assert.match(page.url(), /\/account(#mail)?$/);
  assert.equal(await page.isChecked('#mail-mention'), true);
  assert.equal(await page.isChecked('#mail-answer'), true);

  await page.fill('#field-current_password-delete', 'a new walk password');
  await page.click('#delete-account');
  await page.waitForURL(`${base}/`);
  assert.match(await page.locator('#flash').innerText(), /account was deleted/);
  await page.locator('nav a[href="/signup"]').waitFor();
  await page.context().close();
}

test('mail without JavaScript: confirm, reset, choose, delete', async () => {
  await mailWalk(false, 'erin');
});

test('mail with JavaScript: confirm, reset, choose, delete', async () => {
  await mailWalk(true, 'frank');
});

/**
 * A token for a program, as a new user makes one: made on the account page and shown once, used by a script
 * to ask a question that the board then lists, and revoked, after which the script is refused.
 */
async function tokenWalk(javaScript, name) {
  const page = await newPage({ javaScript });
  await signUp(page, name);
  await page.goto(`${base}/account`);
  await page.fill('#field-name-token', `${name}'s script`);
  await page.check('#token-scope-write');
  await page.fill('#field-current_password-token', PASSWORD);
  await page.click('#create-token');
  await page.locator('#new-token').waitFor();
  const token = await page.locator('#new-token-value').inputValue();
  assert.match(token, /^mbt_[0-9a-f]{64}$/);
  assert.match(await page.locator('[data-token] [data-scope]').innerText(), /Write/);

  const subject = `Asked by ${name}'s script`;
  const asked = await fetch(`${base}/api/v1/questions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ subject, content: 'Through the **API**.', tags: ['api'] }),
  });
  assert.equal(asked.status, 201);
  const question = await asked.json();
  await page.goto(`${base}/`);
  assert.equal(await page.locator(`#question-${question.id} a`).first().innerText(), subject);

  await page.goto(`${base}/account`);
  assert.equal(await page.locator('#new-token').count(), 0, 'a token is shown once');
  await page.click('[data-token] button[type=submit]');
  await page.locator('#flash:has-text("token was revoked")').waitFor();
  assert.equal(await page.locator('[data-token]').count(), 0);
  const refused = await fetch(`${base}/api/v1/questions`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).error.code, 'unauthorized');
  await logOut(page);
  await page.context().close();
}

test('API token without JavaScript: make, use, revoke', async () => {
  await tokenWalk(false, 'gina');
});

test('API token with JavaScript: make, use, revoke', async () => {
  await tokenWalk(true, 'hank');
});

/** Gives an account a role the way the operator does, from the shell. */
function grant(name, role) {
  execFileSync(binary, ['user', 'role', name, role], {
    env: { ...process.env, MINIBOARD_DATABASE: path.join(workDir, 'board.db') },
    stdio: 'ignore',
  });
}

/** Tomorrow (UTC) as YYYY-MM-DD. */
function tomorrow() {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

/**
 * A moderator keeps the board clean: closes a user's question (which then takes no answers), suspends the
 * user (who is told why on the next like), finds both in the log, and undoes both.
 */
async function moderationWalk(javaScript, moderatorName, userName) {
  // axe runs in the page: only where scripts do (the screenshots walk checks these pages with them).
  const checked = async (page) => { if (javaScript) await assertAccessible(page); };
  const moderator = await newPage({ javaScript });
  const user = await newPage({ javaScript });
  await signUp(moderator, moderatorName);
  grant(moderatorName, 'moderator');
  await signUp(user, userName);
  const question = await ask(user, `Buy cheap watches, says ${userName}`, 'Not a question at all.');

  // Closing: the control on the question, a page with the reasons, the notice in its place.
  await moderator.goto(`${base}/questions/${question}`);
  await moderator.click('#moderator-controls a');
  await moderator.waitForURL(`${base}/questions/${question}/close`);
  await checked(moderator);
  await moderator.check('#reason-off-topic');
  await moderator.fill('#field-note', 'Advertising is off-topic here.');
  await moderator.click(`form[action="/questions/${question}/close"] button[type=submit]`);
  await moderator.waitForURL(`${base}/questions/${question}`);
  await moderator.locator('#question-closed').waitFor();
  assert.match(await moderator.locator('#flash').innerText(), /question is closed/);
  assert.match(await moderator.locator('#question-closed').innerText(), /Closed as off-topic by/);
  await checked(moderator);
  await user.goto(`${base}/questions/${question}`);
  assert.match(await user.locator('#answer-closed').innerText(), /takes no new answers/);
  assert.equal(await user.locator('#field-content').count(), 0, 'no answer form');

  // Suspending: from the profile, until tomorrow, with a reason the user is shown.
  await moderator.goto(`${base}/users/${userName}`);
  await moderator.click('#moderator-controls a');
  await moderator.waitForURL(`${base}/users/${userName}/suspend`);
  await moderator.fill('#field-until', tomorrow());
  await moderator.fill('#field-reason', 'Advertising watches');
  await moderator.click(`form[action="/users/${userName}/suspend"] button[type=submit]`);
  await moderator.waitForURL(`${base}/users/${userName}`);
  assert.match(await moderator.locator('[data-suspended]').innerText(), /Advertising watches/);
  await checked(moderator);
  pagesWith4xx.add(`${base}/questions/1`);
  pagesWith4xx.add(`${base}/questions/1/like`);
  await user.goto(`${base}/questions/1`);
  await user.click('#question-1 [data-like="toggle"] button');
  const told = javaScript ? user.locator('#flash') : user.locator('main');
  await told.locator('text=Advertising watches').waitFor();
  assert.match(await told.innerText(), /suspended/);

  // The log holds both; then both are undone in one click each.
  await moderator.click('nav [data-staff-link]');
  await moderator.waitForURL(`${base}/admin/log`);
  assert.ok(await moderator.locator('tr[data-log="close"]').count() >= 1);
  assert.ok(await moderator.locator('tr[data-log="suspend"]').count() >= 1);
  await checked(moderator);
  await moderator.goto(`${base}/users/${userName}`);
  await moderator.click('#moderator-controls button[type=submit]');
  await moderator.locator('#flash:has-text("suspension is lifted")').waitFor();
  await moderator.goto(`${base}/questions/${question}`);
  await moderator.click('#moderator-controls button[type=submit]');
  await moderator.locator('#flash:has-text("open again")').waitFor();
  assert.equal(await moderator.locator('#question-closed').count(), 0);
  await moderator.context().close();
  await user.context().close();
}

test('moderation without JavaScript: close, suspend, log, undo', async () => {
  await moderationWalk(false, 'ivan', 'jill');
});

test('moderation with JavaScript: close, suspend, log, undo', async () => {
  await moderationWalk(true, 'kate', 'liam');
});

/**
 * A user flags someone's spam; the moderator finds it counted in the navbar and waiting in the review
 * queue, edits it saying why (which decides the flag), reads the change in the question's history, and
 * the author rolls it back there.
 */
async function flagWalk(javaScript, moderatorName, authorName, flaggerName) {
  const checked = async (page) => { if (javaScript) await assertAccessible(page); };
  const moderator = await newPage({ javaScript });
  const author = await newPage({ javaScript });
  const flagger = await newPage({ javaScript });
  await signUp(moderator, moderatorName);
  grant(moderatorName, 'moderator');
  await signUp(author, authorName);
  await signUp(flagger, flaggerName);
  const question = await ask(author, `Cheap pills from ${authorName}`, 'Visit my shop for cheap pills.');

  // Flagging: the link beside the question, a page with the reasons, back to the question with thanks.
  await flagger.goto(`${base}/questions/${question}`);
  await flagger.click(`a[href="/questions/${question}/flag"]`);
  await flagger.waitForURL(`${base}/questions/${question}/flag`);
  await checked(flagger);
  await flagger.check('#reason-spam');
  await flagger.click(`form[action="/questions/${question}/flag"] button[type=submit]`);
  await flagger.waitForURL(`${base}/questions/${question}`);
  assert.match(await flagger.locator('#flash').innerText(), /moderators will look/);

  // Review: the navbar's count leads to the queue, where the post waits with its flag.
  await moderator.goto(`${base}/`);
  assert.ok(Number(await moderator.locator('nav [data-review-link]').getAttribute('data-review-link')) >= 1);
  await moderator.click('nav [data-review-link]');
  await moderator.waitForURL(`${base}/review`);
  await checked(moderator);
  const item = moderator.locator(`[data-review-item="/questions/${question}"]`);
  assert.match(await item.innerText(), /spam/);
  await item.locator(`a[href="/questions/${question}/edit"]`).click();
  await moderator.waitForURL(`${base}/questions/${question}/edit`);
  await moderator.fill('#field-content', 'A question about pills.');
  await moderator.fill('#field-summary', 'Removed the advertising');
  await moderator.click(`form[action="/questions/${question}/edit"] button[type=submit]`);
  await moderator.waitForURL(`${base}/questions/${question}`);
  assert.match(await moderator.locator('[data-edited-by]').innerText(), new RegExp(`edited by ${moderatorName}`));
  await moderator.goto(`${base}/review`);
  assert.equal(await moderator.locator(`[data-review-item="/questions/${question}"]`).count(), 0, 'decided');

  // History: the change in words, and the author takes it back with one button.
  await author.goto(`${base}/questions/${question}`);
  await author.click('[data-history]');
  await author.waitForURL(`${base}/questions/${question}/revisions`);
  assert.match(await author.locator('#revision-2').innerText(), /Removed the advertising/);
  assert.ok(await author.locator('#revision-2 del.diff-removed').count() >= 1);
  assert.ok(await author.locator('#revision-2 ins.diff-added').count() >= 1);
  await checked(author);
  await author.click(`form[action="/questions/${question}/revisions/1/rollback"] button[type=submit]`);
  await author.waitForURL(`${base}/questions/${question}`);
  assert.match(await author.locator('#flash').innerText(), /Rolled back/);
  assert.match(await author.locator(`#question-${question} [data-content]`).innerText(), /Visit my shop/);
  await moderator.context().close();
  await author.context().close();
  await flagger.context().close();
}

test('flags and history without JavaScript: flag, review, edit, roll back', async () => {
  await flagWalk(false, 'mona', 'nick', 'olga');
});

test('flags and history with JavaScript: flag, review, edit, roll back', async () => {
  await flagWalk(true, 'pete', 'quin', 'rosa');
});

/**
 * Deleting and bringing back: the author deletes a question (in a dialog with JavaScript, through the
 * confirmation page without), still reads it marked while a visitor finds nothing, and undeletes it; an
 * admin purges an answer for good after a page that asks.
 */
async function deletionWalk(javaScript, authorName, answererName, adminName) {
  const checked = async (page) => { if (javaScript) await assertAccessible(page); };
  const author = await newPage({ javaScript });
  const answerer = await newPage({ javaScript });
  const admin = await newPage({ javaScript });
  const visitor = await newPage({ javaScript });
  await signUp(author, authorName);
  await signUp(answerer, answererName);
  await signUp(admin, adminName);
  grant(adminName, 'admin');
  const question = await ask(author, `Sharpening chisels, asked by ${authorName}`, 'Which stone grit first?');
  await answerer.goto(`${base}/questions/${question}`);
  await answerer.fill('#field-content', 'Start at 1000 grit.');
  await answerer.click('#answer-form button[type=submit]');
  await answerer.locator('article:has-text("1000 grit")').waitFor();

  await author.goto(`${base}/questions/${question}`);
  if (javaScript) {
    author.once('dialog', (dialog) => dialog.accept());
    await author.click(`#question-${question} a:has-text("Delete")`);
    await author.locator('#flash:has-text("question was deleted")').waitFor();
  } else {
    await author.click(`#question-${question} a:has-text("Delete")`);
    await author.waitForURL(`${base}/questions/${question}/delete`);
    await author.click('form button.btn-danger');
    await author.waitForURL(`${base}/questions/${question}`);
    assert.match(await author.locator('#flash').innerText(), /question was deleted/);
  }
  assert.match(await author.locator('[data-deleted]').first().innerText(), new RegExp(`Deleted by ${authorName}`));
  assert.match(await author.locator('#deleted-answers').innerText(), /1000 grit/);
  await checked(author);
  pagesWith4xx.add(`${base}/questions/${question}`);
  const gone = await visitor.goto(`${base}/questions/${question}`);
  assert.equal(gone.status(), 404);

  await author.click(`form[action="/questions/${question}/undelete"] button[type=submit]`);
  await author.locator('#flash:has-text("question is back")').waitFor();
  assert.equal(await author.locator('[data-deleted]').count(), 0);
  const back = await visitor.goto(`${base}/questions/${question}`);
  assert.equal(back.status(), 200);
  assert.match(await visitor.locator('#answers').innerText(), /1000 grit/);

  // The answerer deletes the answer; the admin purges it for good, asked first.
  const answer = await answerer.locator('article:has-text("1000 grit")').getAttribute('data-answer');
  await answerer.goto(`${base}/answers/${answer}/delete`);
  await answerer.click('form button.btn-danger');
  await answerer.waitForURL(`${base}/questions/${question}#answer-${answer}`);
  await admin.goto(`${base}/questions/${question}`);
  await admin.click(`#answer-${answer} a[href="/answers/${answer}/purge"]`);
  await admin.waitForURL(`${base}/answers/${answer}/purge`);
  await checked(admin);
  await admin.click('form button.btn-danger');
  await admin.waitForURL(`${base}/questions/${question}`);
  assert.match(await admin.locator('#flash').innerText(), /answer was purged for good/);
  assert.equal(await admin.locator(`#answer-${answer}`).count(), 0);
  for (const page of [author, answerer, admin, visitor]) await page.context().close();
}

test('deletion without JavaScript: delete, read it marked, undelete, purge', async () => {
  await deletionWalk(false, 'sven', 'tina', 'ursa');
});

test('deletion with JavaScript: delete, read it marked, undelete, purge', async () => {
  await deletionWalk(true, 'vera', 'walt', 'xena');
});

test('desktop and phone: screenshots, no sideways scrolling, accessible pages', async () => {
  // Every page shape, for visitors and signed in: the screenshots are also how a change to the vendored
  // stylesheet (scripts/fetch-vendor.sh keeps only the rules in use) is checked to look the same.
  const visitorPages = [
    ['list', '/'],
    ['list-page-2', '/?page=2'],
    ['question', '/questions/1'],
    // The seeded thread: an accepted answer, 30 comments on its first page, views.
    ['thread', '/questions/25'],
    ['comments', '/questions/25/comments'],
    ['search', '/questions?q=the'],
    ['tags', '/tags'],
    ['missing', '/questions/999999'],
    ['signup', '/signup'],
    ['login', '/login'],
    ['forgot', '/password/forgot'],
    ['api-docs', '/api/docs'],
  ];
  const userPages = [
    ['user-thread', '/questions/25'],
    ['ask', '/questions/new'],
    ['inbox', '/notifications'],
    ['account', '/account'],
  ];
  const check = async (page, name, width) => {
    await page.screenshot({ path: path.join(screenshots, `${name}-${width}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px at ${width}px`);
    await assertAccessible(page);
  };
  await (async () => {
    const page = await newPage();
    await signUp(page, 'shooter');
    // The profile of the user with the highest reputation, and the list of users.
    await page.goto(`${base}/users`);
    const top = await page.locator('[data-user]').first().getAttribute('data-user');
    visitorPages.push(['users', '/users'], ['profile', `/users/${encodeURIComponent(top)}`]);
    // An admin's pages: the forms that close and suspend, the accounts, the log.
    grant('shooter', 'admin');
    userPages.push(
      ['close', '/questions/1/close'],
      ['suspend', `/users/${encodeURIComponent(top)}/suspend`],
      ['admin-users', '/admin/users'],
      ['admin-log', '/admin/log'],
    );
    await page.context().close();
  })();
  pagesWith4xx.add(`${base}/questions/999999`);
  pagesWith4xx.add(`${base}/questions/new`);
  for (const width of [1280, 375]) {
    const page = await newPage({ width });
    for (const [name, url] of visitorPages) {
      await page.goto(base + url);
      await check(page, name, width);
    }
    await logIn(page, 'shooter');
    for (const [name, url] of userPages) {
      await page.goto(base + url);
      await check(page, name, width);
    }
    // A form sent back with its errors.
    await page.goto(`${base}/questions/new`);
    // Blank to the server, though not to the browser's own check of `required`.
    await page.fill('#field-subject', '   ');
    await page.fill('#field-content', 'x');
    await page.click('form[action="/questions"] button[type=submit]');
    await page.locator('.invalid-feedback').first().waitFor();
    await check(page, 'ask-errors', width);
    await page.context().close();
  }
});

test('keyboard focus is visible and the like button says what it does', async () => {
  const page = await newPage();
  await page.goto(`${base}/questions/1`);
  // The first Tab lands on the skip link; the next ones walk the navbar.
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement);
      return { width: parseFloat(style.outlineWidth), style: style.outlineStyle, tag: document.activeElement.tagName };
    });
    assert.ok(outline.style !== 'none' && outline.width >= 2, `focus on ${outline.tag} is visible`);
  }
  // A visitor's like button is a link to log in that names what it would do (the walk above checks the
  // logged-in button's aria-pressed).
  const like = page.locator('#question-1 [data-like="log-in"]');
  assert.match(await like.innerText(), /Like this question/);
  assert.equal(await like.getAttribute('href'), '/login?next=/questions/1');
  await page.context().close();
});

test('no console error, failed request or request to another host on any page', () => {
  assert.deepEqual(problems, []);
});
