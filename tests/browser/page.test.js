// The web page in headless Chromium against the real server, beside raw TCP (nc) clients.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const {
  kWaitMs,
  Server,
  NcClient,
  launchBrowser,
  openPage,
  rows,
  promptText,
  waitForRow,
  waitForPrompt,
  typeLine,
  joinAs,
  escapeRegExp,
} = require('./support');

// One test may start a server twice and wait through reconnection backoff.
const kTestMs = 180000;

// Tests where one client sends many lines at once, which flood control would spread over seconds.
const kNoFloodControl = ['--rate', '0'];

const countOf = (list, re) => list.filter((line) => re.test(line)).length;

describe('the web page', () => {
  let browser;
  const servers = [];
  const clients = [];

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    clients.forEach((c) => c.close());
    await Promise.all(servers.map((s) => s.stop()));
    if (browser) await browser.close();
  });

  async function startServer(extraArgs) {
    const server = await Server.start(extraArgs);
    servers.push(server);
    return server;
  }

  async function ncJoin(server, name) {
    const client = await NcClient.join(server.chatPort, name);
    clients.push(client);
    return client;
  }

  async function pageAs(server, name, viewport) {
    const page = await openPage(browser, server, viewport);
    await joinAs(page, name);
    return page;
  }

  test('two pages and an nc client chat together', { timeout: kTestMs }, async () => {
    const server = await startServer();
    const ann = await pageAs(server, 'Ann');
    const bea = await pageAs(server, 'Bea');
    await waitForRow(ann, '^Bea has joined our chat\\.\\.\\.$');
    const cid = await ncJoin(server, 'Cid');
    await waitForRow(ann, '^Cid has joined our chat\\.\\.\\.$');
    await waitForRow(bea, '^Cid has joined our chat\\.\\.\\.$');

    await typeLine(ann, 'hello from Ann');
    await typeLine(bea, 'hello from Bea');
    cid.send('hello from Cid');

    await cid.waitFor(/\n\[[^\]]+\]\[Ann\]:hello from Ann\n/);
    await cid.waitFor(/\n\[[^\]]+\]\[Bea\]:hello from Bea\n/);
    await waitForRow(ann, '^\\[[^\\]]+\\]\\[Bea\\]:hello from Bea$');
    await waitForRow(ann, '^\\[[^\\]]+\\]\\[Cid\\]:hello from Cid$');
    await waitForRow(bea, '^\\[[^\\]]+\\]\\[Ann\\]:hello from Ann$');
    await waitForRow(bea, '^\\[[^\\]]+\\]\\[Cid\\]:hello from Cid$');

    // Each page shows its own line once, with the prompt it answered, and no rows of empty
    // prompts that the framing of arriving messages ended.
    for (const [page, name] of [[ann, 'Ann'], [bea, 'Bea']]) {
      const shown = await rows(page);
      assert.equal(countOf(shown, new RegExp(`\\]\\[${name}\\]:hello from ${name}$`)), 1, shown.join('\n'));
      assert.equal(countOf(shown, /^\[[^\]]+\]\[[^\]]+\]:$/), 0, shown.join('\n'));
      assert.equal(countOf(shown, /^$/), 0, shown.join('\n'));
      assert.match(await promptText(page), new RegExp(`^\\[[^\\]]+\\]\\[${name}\\]:$`));
      assert.deepEqual(page.errors, []);
    }
    await ann.close();
    await bea.close();
  });

  test('the page works under its own strict Content-Security-Policy', { timeout: kTestMs }, async () => {
    const server = await startServer();
    const page = await pageAs(server, 'Ann');
    const policy = page.response.headers()['content-security-policy'] || '';
    assert.match(policy, /default-src 'none'/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
    const bob = await ncJoin(server, 'Bob');
    await waitForRow(page, '^Bob has joined');
    await typeLine(page, 'under the policy');
    await bob.waitFor('[Ann]:under the policy');
    bob.send('/quit');
    await waitForRow(page, '^Bob has left our chat\\.\\.\\.$');
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

    test('markup in a message is shown as text and never runs', { timeout: kTestMs }, async () => {
    const server = await startServer();
    const page = await pageAs(server, 'Ann');
    const before = await page.evaluate(() => document.getElementsByTagName('*').length);
    const mallory = await ncJoin(server, 'Mallory');
    await waitForRow(page, '^Mallory has joined');
    const evil = '<img src=x onerror=alert(1)><b>x</b>';
    mallory.send(evil);
    await waitForRow(page, `^\\[[^\\]]+\\]\\[Mallory\\]:${escapeRegExp(evil)}$`);

    const shown = await rows(page);
    assert.ok(shown.some((line) => line.endsWith(`[Mallory]:${evil}`)), shown.join('\n'));
    assert.equal(await page.evaluate(() => document.querySelectorAll('img, b').length), 0);
    assert.equal(await page.evaluate(() => document.scripts.length), 1, 'only the page\'s own script');
    // The rows added are the join notice and the message, and no element came from their text.
    const added = await page.evaluate(() => document.getElementsByTagName('*').length);
    const perRow = await page.evaluate(
      () => document.querySelector('#transcript > div:last-child').getElementsByTagName('*').length,
    );
    assert.ok(perRow <= 3, `a message row holds only the page's own spans, got ${perRow}`);
    assert.ok(added - before <= 2 + perRow, `elements before ${before}, after ${added}`);
    assert.deepEqual(page.dialogs, []);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a half-typed line stays intact while messages arrive', { timeout: kTestMs }, async () => {
    const server = await startServer(kNoFloodControl);
    const page = await pageAs(server, 'Ann');
    const bob = await ncJoin(server, 'Bob');
    await waitForRow(page, '^Bob has joined');

    await page.focus('#line');
    await page.keyboard.type('half a thought');
    // The caret in the middle, with a selection, as someone correcting a word would leave it.
    await page.evaluate(() => document.getElementById('line').setSelectionRange(5, 6));
    const promptBefore = await promptText(page);
    for (let i = 1; i <= 20; i++) bob.send(`interruption ${i}`);
    await waitForRow(page, ':interruption 20$');

    const state = await page.evaluate(() => {
      const input = document.getElementById('line');
      return {
        value: input.value,
        start: input.selectionStart,
        end: input.selectionEnd,
        focused: document.activeElement === input,
      };
    });
    assert.deepEqual(state, { value: 'half a thought', start: 5, end: 6, focused: true });
    assert.match(await promptText(page), /^\[[^\]]+\]\[Ann\]:$/);
    assert.match(promptBefore, /^\[[^\]]+\]\[Ann\]:$/);

    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await bob.waitFor(/\]\[Ann\]:half a thought\n/);
    assert.equal(await page.inputValue('#line'), '');
    await page.close();
  });

  test('after a server restart the page comes back as itself', { timeout: kTestMs }, async () => {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netcat-chat-web-log-'));
    try {
      const server = await startServer(['--log', path.join(logDir, 'chat.log')]);
      const page = await pageAs(server, 'Ann');
      await typeLine(page, '/name Anna');
      await waitForPrompt(page, '^\\[[^\\]]+\\]\\[Anna\\]:$');
      await typeLine(page, '/join games');
      await waitForRow(page, '^You are now in games\\.$');
      const bob = await ncJoin(server, 'Bob');
      bob.send('/join games');
      await waitForRow(page, '^Bob has joined our chat\\.\\.\\.$');
      bob.send('said before the restart');
      await waitForRow(page, ':said before the restart$');
      await typeLine(page, 'Anna said this before');
      await bob.waitFor(/\]\[Anna\]:Anna said this before\n/);

      await page.focus('#line');
      await page.keyboard.type('typed while away');
      await page.evaluate(() => document.getElementById('line').setSelectionRange(5, 5));

      await server.stop();
      await waitForRow(page, '^Connection (closed by the server\\.|to \\S+ lost\\.)$');
      await page.waitForFunction(
        () => /^Reconnecting to \S+ in \d+ s/.test(document.getElementById('status').textContent),
        null,
        { timeout: kWaitMs },
      );
      await server.restart();
      await waitForRow(page, '^Back in the chat as Anna, in games\\.$');

      const shown = await rows(page);
      const text = shown.join('\n');
      assert.equal(countOf(shown, /:said before the restart$/), 1, text);
      assert.equal(countOf(shown, /:Anna said this before$/), 1, text);
      assert.equal(countOf(shown, /^Welcome to TCP-Chat!$/), 1, text);
      assert.match(await promptText(page), /^\[[^\]]+\]\[Anna\]:$/);
      const state = await page.evaluate(() => {
        const input = document.getElementById('line');
        return { value: input.value, start: input.selectionStart, focused: document.activeElement === input };
      });
      assert.deepEqual(state, { value: 'typed while away', start: 5, focused: true });
      assert.equal(await page.evaluate(() => document.getElementById('status').hidden), true);

      // Back in the same room under the same name: someone there hears the kept line.
      const cid = await ncJoin(server, 'Cid');
      cid.send('/join games');
      await waitForRow(page, '^Cid has joined our chat\\.\\.\\.$');
      cid.send('/list');
      await cid.waitFor(/Online \(2\): (Anna, Cid|Cid, Anna)/);
      await page.keyboard.press('Enter');
      await cid.waitFor(/\n\[[^\]]+\]\[Anna\]:typed while away\n/);
      assert.deepEqual(page.errors.filter((e) => !/WebSocket/.test(e)), []);
      await page.close();
    } finally {
      fs.rmSync(logDir, { recursive: true, force: true });
    }
  });

  test('a page whose name is still taken tries again and says so once', { timeout: kTestMs }, async () => {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netcat-chat-web-log-'));
    try {
      const server = await startServer(['--log', path.join(logDir, 'chat.log')]);
      const page = await pageAs(server, 'Anna');
      await typeLine(page, 'said before');
      await server.stop();
      const statusIs = (re) =>
        page.waitForFunction((source) => new RegExp(source).test(document.getElementById('status').textContent),
          re, { timeout: kWaitMs * 2 });
      // Attempts after 1, 2 and 4 s find no server; the wait of 8 s leaves time to take the name.
      await statusIs('^Reconnecting to \\S+ in 8 s');
      await server.restart();
      const impostor = await ncJoin(server, 'anna');
      const bob = await ncJoin(server, 'Bob');
      bob.send('said while Anna was away');
      await impostor.waitFor('said while Anna was away');

      await waitForRow(page, '^The name Anna is not free yet');
      await typeLine(page, 'queued while away');
      await statusIs('\\(1 line to send when back\\)$');
      // Refused a second time: the countdown starts again.
      await statusIs('^The name Anna is taken; trying again in 1 s');
      await statusIs('^The name Anna is taken; trying again in 5 s');
      impostor.send('/quit');
      await waitForRow(page, '^Back in the chat as Anna\\.$');

      await bob.waitFor(/\n\[[^\]]+\]\[Anna\]:queued while away\n/);
      const shown = await rows(page);
      const text = shown.join('\n');
      assert.equal(countOf(shown, /^The name Anna is not free yet/), 1, text);
      assert.equal(countOf(shown, /\]\[Bob\]:said while Anna was away$/), 1, text);
      assert.equal(countOf(shown, /\]\[Anna\]:said before$/), 1, text);
      assert.equal(countOf(shown, /\]\[Anna\]:queued while away$/), 1, text);
      assert.match(await promptText(page), /^\[[^\]]+\]\[Anna\]:$/);
      await page.close();
    } finally {
      fs.rmSync(logDir, { recursive: true, force: true });
    }
  });

  test('a page that leaves with /quit does not come back', { timeout: kTestMs }, async () => {
    const server = await startServer();
    const page = await pageAs(server, 'Ann');
    const bob = await ncJoin(server, 'Bob');
    await typeLine(page, '/quit');
    await waitForRow(page, '^Goodbye\\.$');
    await bob.waitFor('Ann has left our chat...');
    await waitForRow(page, '^You left the chat\\.');
    assert.equal(await page.evaluate(() => document.getElementById('status').hidden), true);
    await page.close();
  });

  test('a page that never got past the name prompt is not retried', { timeout: kTestMs }, async () => {
    const server = await startServer();
    const page = await openPage(browser, server);
    await waitForPrompt(page, '^\\[ENTER YOUR NAME\\]: $');
    await server.stop();
    await waitForRow(page, '^Reload the page to try again\\.$');
    assert.equal(await page.evaluate(() => document.getElementById('status').hidden), true);
    await page.close();
  });

  // docs/PROTOCOL.md §5.3: the chat's password, typed at its own prompt.
  describe('with a password', () => {
    const kPassword = 'correct horse battery';
    const dirs = [];

    after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    // A server whose password file (readable by its owner only, as the server demands) can be
    // changed between a stop and a restart.
    async function passwordServer() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netcat-chat-web-password-'));
      dirs.push(dir);
      const file = path.join(dir, 'password');
      fs.writeFileSync(file, kPassword + '\n', { mode: 0o600 });
      const server = await startServer(['--password-file', file, '--log', path.join(dir, 'chat.log')]);
      server.passwordFile = file;
      return server;
    }

    const field = (page) => page.evaluate(() => {
      const input = document.getElementById('line');
      return { type: input.type, autocomplete: input.autocomplete, value: input.value };
    });
    // Everywhere a page could keep something beyond its own life, and what it shows.
    const kept = (page) => page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      cookie: document.cookie,
      href: location.href,
      shown: document.body.innerText,
    }));

    test('the password field is unseen, never recalled nor stored, and answered again after a restart',
      { timeout: kTestMs }, async () => {
        const server = await passwordServer();
        const page = await openPage(browser, server);
        await waitForPrompt(page, '^\\[ENTER THE PASSWORD\\]: $');
        assert.deepEqual(await field(page), { type: 'password', autocomplete: 'off', value: '' });
        await typeLine(page, kPassword);
        await waitForPrompt(page, '^\\[ENTER YOUR NAME\\]: $');
        assert.deepEqual(await field(page), { type: 'text', autocomplete: 'off', value: '' });
        await typeLine(page, 'Ann');
        await waitForPrompt(page, '^\\[[^\\]]+\\]\\[Ann\\]:$');

        const bob = await NcClient.join(server.chatPort, 'Bob', kPassword);
        clients.push(bob);
        await waitForRow(page, '^Bob has joined our chat\\.\\.\\.$');
        await typeLine(page, 'hello Bob');
        await bob.waitFor(/\n\[[^\]]+\]\[Ann\]:hello Bob\n/);
        bob.send('hello Ann');
        await waitForRow(page, '\\]\\[Bob\\]:hello Ann$');

        // Up walks back through the name and the message, never to the password.
        await page.focus('#line');
        for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
        assert.equal(await page.inputValue('#line'), 'Ann');
        await page.fill('#line', '');
        assert.equal(countOf(await rows(page), /^\[ENTER THE PASSWORD\]: $/), 1);

        const before = await kept(page);
        assert.deepEqual([before.local, before.session, before.cookie, before.href],
          [0, 0, '', server.url]);
        assert.ok(!before.shown.includes(kPassword), before.shown);

        await server.stop();
        await waitForRow(page, '^Connection (closed by the server\\.|to \\S+ lost\\.)$');
        await server.restart();
        await waitForRow(page, '^Back in the chat as Ann\\.$');
        const bea = await NcClient.join(server.chatPort, 'Bea', kPassword);
        clients.push(bea);
        await waitForRow(page, '^Bea has joined our chat\\.\\.\\.$');
        await typeLine(page, 'back without being asked');
        await bea.waitFor(/\n\[[^\]]+\]\[Ann\]:back without being asked\n/);

        const shown = await rows(page);
        // Asked once in all: the page answered the second prompt by itself, out of sight.
        assert.equal(countOf(shown, /^\[ENTER THE PASSWORD\]: $/), 1, shown.join('\n'));
        assert.equal((await field(page)).type, 'text');
        const afterRestart = await kept(page);
        assert.deepEqual([afterRestart.local, afterRestart.session, afterRestart.cookie,
          afterRestart.href], [0, 0, '', server.url]);
        assert.ok(!afterRestart.shown.includes(kPassword), afterRestart.shown);
        assert.deepEqual(page.errors.filter((e) => !/WebSocket/.test(e)), []);
        await page.close();
      });

    test('a wrong password shows Wrong password. and is not tried again', { timeout: kTestMs }, async () => {
      const server = await passwordServer();
      const page = await openPage(browser, server, undefined, { fakeClock: true });
      await waitForPrompt(page, '^\\[ENTER THE PASSWORD\\]: $');
      await typeLine(page, 'not the password');
      await waitForRow(page, '^Wrong password\\.$');
      await waitForRow(page, '^Reload the page to try again\\.$');
      assert.equal(await page.evaluate(() => document.getElementById('status').hidden), true);
      assert.deepEqual(await field(page), { type: 'text', autocomplete: 'off', value: '' });
      assert.ok(!(await kept(page)).shown.includes('not the password'));
      // Ten minutes of the page's time: every try of a reconnection schedule would have come.
      await page.clock.runFor(10 * 60 * 1000);
      assert.equal(page.sockets, 1);
      assert.equal(countOf(await rows(page), /^Wrong password\.$/), 1);
      await page.close();
    });

    test('a password changed while the page was away ends it without guessing again',
      { timeout: kTestMs }, async () => {
        const server = await passwordServer();
        const page = await openPage(browser, server, undefined, { fakeClock: true });
        await waitForPrompt(page, '^\\[ENTER THE PASSWORD\\]: $');
        await typeLine(page, kPassword);
        await joinAs(page, 'Ann');
        await server.stop();
        await waitForRow(page, '^Connection (closed by the server\\.|to \\S+ lost\\.)$');
        fs.writeFileSync(server.passwordFile, 'a new password\n', { mode: 0o600 });
        await server.restart();
        await page.clock.runFor(1000);  // the first try
        await waitForRow(page, '^Wrong password\\.$');
        await waitForRow(page, '^Reload the page to try again\\.$');
        assert.equal(await page.evaluate(() => document.getElementById('status').hidden), true);
        const sockets = page.sockets;
        await page.clock.runFor(10 * 60 * 1000);
        assert.equal(page.sockets, sockets, 'the page tried again');
        assert.equal(countOf(await rows(page), /^Wrong password\.$/), 1);
        await page.close();
      });

    test('a page that joined without a password ends when the server asks for one only now',
      { timeout: kTestMs }, async () => {
        const server = await startServer();
        const page = await openPage(browser, server, undefined, { fakeClock: true });
        await joinAs(page, 'Ann');
        await server.stop();
        await waitForRow(page, '^Connection (closed by the server\\.|to \\S+ lost\\.)$');
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netcat-chat-web-password-'));
        dirs.push(dir);
        const file = path.join(dir, 'password');
        fs.writeFileSync(file, kPassword + '\n', { mode: 0o600 });
        server.extraArgs = ['--password-file', file];
        await server.restart();
        await page.clock.runFor(1000);  // the first try
        await waitForRow(page, '^The server asks for a password now\\. Reload the page to join again\\.$');
        assert.equal(await page.evaluate(() => document.getElementById('status').hidden), true);
        const sockets = page.sockets;
        await page.clock.runFor(10 * 60 * 1000);
        assert.equal(page.sockets, sockets, 'the page tried again');
        await page.close();
      });
  });

  for (const viewport of [
    { width: 390, height: 740 },
    { width: 360, height: 640 },
    // An on-screen keyboard leaves a phone this much.
    { width: 360, height: 300 },
  ]) {
    test(`at ${viewport.width}x${viewport.height} the input is on screen`, { timeout: kTestMs }, async () => {
      const server = await startServer(kNoFloodControl);
      const page = await pageAs(server, 'Ann', viewport);
      const bob = await ncJoin(server, 'Bob');
      for (let i = 1; i <= 40; i++) bob.send(`line ${i} of a conversation long enough to scroll`);
      await waitForRow(page, ':line 40 of');
      await page.focus('#line');
      await page.keyboard.type('still here');

      const box = await page.locator('#line').boundingBox();
      assert.ok(box, 'the input has a box');
      assert.ok(box.x >= 0 && box.y >= 0, JSON.stringify(box));
      assert.ok(box.x + box.width <= viewport.width, JSON.stringify(box));
      assert.ok(box.y + box.height <= viewport.height, JSON.stringify(box));
      assert.ok(box.width >= 120, `the input is wide enough to type in: ${JSON.stringify(box)}`);
      const prompt = await page.locator('#prompt').boundingBox();
      assert.ok(prompt.y >= 0 && prompt.y + prompt.height <= viewport.height, JSON.stringify(prompt));
      // Nothing is wider than the screen, and the newest line is in view above the input.
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
      const last = await page.locator('#transcript > div:last-child').boundingBox();
      assert.ok(last.y + last.height <= box.y + 1, `newest row ${JSON.stringify(last)}`);
      assert.ok(last.y >= 0, JSON.stringify(last));
      await page.close();
    });
  }

  test('the transcript stays where the reader scrolled to', { timeout: kTestMs }, async () => {
    const server = await startServer(kNoFloodControl);
    const page = await pageAs(server, 'Ann', { width: 390, height: 500 });
    const bob = await ncJoin(server, 'Bob');
    for (let i = 1; i <= 60; i++) bob.send(`early ${i}`);
    await waitForRow(page, ':early 60$');
    const atEnd = () =>
      page.evaluate(() => {
        const t = document.getElementById('transcript');
        return t.scrollHeight - t.scrollTop - t.clientHeight < 2;
      });
    assert.equal(await atEnd(), true);
    // Resolves once the page has had the scroll event, as a reader's scrolling gives it.
    const scrollTo = (where) =>
      page.evaluate(
        (w) =>
          new Promise((resolve) => {
            const t = document.getElementById('transcript');
            t.addEventListener('scroll', () => resolve(), { once: true });
            t.scrollTop = w === 'top' ? 0 : t.scrollHeight;
          }),
        where,
      );
    await scrollTo('top');
    bob.send('while reading');
    await waitForRow(page, ':while reading$');
    assert.equal(await page.evaluate(() => document.getElementById('transcript').scrollTop), 0);
    // Scrolled back to the end, it follows again.
    await scrollTo('end');
    assert.equal(await atEnd(), true);
    bob.send('followed again');
    await waitForRow(page, ':followed again$');
    await page.waitForFunction(() => {
      const t = document.getElementById('transcript');
      return t.scrollHeight - t.scrollTop - t.clientHeight < 2;
    }, null, { timeout: kWaitMs });
    await page.close();
  });

  test('a hidden tab counts arriving messages in its title', { timeout: kTestMs }, async () => {
    const server = await startServer();
    const page = await pageAs(server, 'Ann');
    const bob = await ncJoin(server, 'Bob');
    await waitForRow(page, '^Bob has joined');
    assert.equal(await page.title(), 'netcat-chat');
    // Headless Chromium keeps every tab visible, so the tab is hidden the way the browser
    // reports it: document.hidden, visibilityState and the visibilitychange event.
    const setHidden = (hidden) =>
      page.evaluate((h) => {
        if (h) {
          Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        } else {
          delete document.hidden;
          delete document.visibilityState;
        }
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    bob.send('one');
    bob.send('two');
    bob.send('three');
    await waitForRow(page, ':three$');
    await page.waitForFunction(() => document.title === '(3) netcat-chat', null, { timeout: kWaitMs });
    await setHidden(false);
    await page.waitForFunction(() => document.title === 'netcat-chat', null, { timeout: kWaitMs });
    bob.send('seen at once');
    await waitForRow(page, ':seen at once$');
    assert.equal(await page.title(), 'netcat-chat');
    await page.close();
  });

  test('Up and Down recall earlier lines', { timeout: kTestMs }, async () => {
    const server = await startServer();
    const page = await pageAs(server, 'Ann');
    const bob = await ncJoin(server, 'Bob');
    await typeLine(page, 'first line');
    await typeLine(page, 'second line');
    await bob.waitFor(/\]\[Ann\]:second line\n/);
    await page.keyboard.type('draft');
    const value = () => page.inputValue('#line');
    await page.keyboard.press('ArrowUp');
    assert.equal(await value(), 'second line');
    await page.keyboard.press('ArrowUp');
    assert.equal(await value(), 'first line');
    // The name answered at the prompt is the earliest line; there it stops.
    await page.keyboard.press('ArrowUp');
    assert.equal(await value(), 'Ann');
    await page.keyboard.press('ArrowUp');
    assert.equal(await value(), 'Ann');
    await page.keyboard.press('ArrowDown');
    assert.equal(await value(), 'first line');
    await page.keyboard.press('ArrowDown');
    assert.equal(await value(), 'second line');
    await page.keyboard.press('ArrowDown');
    assert.equal(await value(), 'draft');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(
      await page.evaluate(() => document.getElementById('line').selectionStart),
      'first line'.length,
    );
    await page.keyboard.press('Enter');
    await bob.waitFor(/(\]\[Ann\]:first line\n[\s\S]*){2}/);
    assert.equal(bob.received.match(/\]\[Ann\]:first line\n/g).length, 2);
    await page.close();
  });

  test('several pasted lines are sent as several lines, in order', { timeout: kTestMs }, async () => {
    const server = await startServer();
    const page = await pageAs(server, 'Ann');
    const bob = await ncJoin(server, 'Bob');
    await waitForRow(page, '^Bob has joined');
    await page.focus('#line');
    await page.keyboard.type('first: ');
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/plain', 'one\ntwo\r\nthree and a half');
      document.getElementById('line').dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    });
    await bob.waitFor(/\]\[Ann\]:first: one\n[\s\S]*\]\[Ann\]:two\n/);
    assert.equal(await page.inputValue('#line'), 'three and a half');
    const shown = await rows(page);
    assert.equal(countOf(shown, /\]\[Ann\]:first: one$/), 1, shown.join('\n'));
    // The second line goes before the server's fresh prompt, as on a terminal.
    assert.equal(countOf(shown, /(^|:)two$/), 1, shown.join('\n'));
    await page.keyboard.press('Enter');
    await bob.waitFor(/\]\[Ann\]:three and a half\n/);
    await page.close();
  });
});
