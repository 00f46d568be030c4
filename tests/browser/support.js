// Shared by the browser tests: the real server on free ports, raw TCP clients, headless Chromium.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

// Every wait is bounded by this: generous, so a slow and loaded machine still passes.
const kWaitMs = 30000;
// Starting the server again on the same ports may briefly meet the old sockets; a start that
// fails is tried this many times.
const kStartAttempts = 5;
const kHost = '127.0.0.1';

const serverBinary =
  process.env.NETCAT_CHAT_BIN ||
  path.resolve(__dirname, '..', '..', 'bin', 'linux', 'Release', 'netcat-chat');

// Debian's chromium, with everything that would reach beyond loopback turned off.
const kChromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, kHost, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Resolves once `predicate()` is true, checking whenever `subscribe` reports a change; rejects
// with `what` after `ms`.
function until(predicate, subscribe, what, ms = kWaitMs) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    unsubscribe = subscribe(check);
    check();
  });
}

// The built netcat-chat serving the chat on `chatPort` and the page on `webPort`.
class Server {
  constructor(chatPort, webPort, extraArgs) {
    this.chatPort = chatPort;
    this.webPort = webPort;
    this.extraArgs = extraArgs;
    this.proc = null;
    this.stdout = '';
    this.stderr = '';
  }

  static async start(extraArgs = []) {
    for (let attempt = 1; ; attempt++) {
      const server = new Server(await freePort(), await freePort(), extraArgs);
      try {
        await server.run();
        return server;
      } catch (err) {
        if (attempt >= kStartAttempts) throw err;
      }
    }
  }

  get url() {
    return `http://${kHost}:${this.webPort}/`;
  }

  async run() {
    this.stdout = '';
    this.stderr = '';
    const args = [String(this.chatPort), '--web', String(this.webPort), '--bind', kHost];
    const proc = spawn(serverBinary, args.concat(this.extraArgs), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    const changed = new Set();
    const notify = () => changed.forEach((fn) => fn());
    proc.stdout.on('data', (d) => {
      this.stdout += d;
      notify();
    });
    proc.stderr.on('data', (d) => {
      this.stderr += d;
      notify();
    });
    proc.on('exit', notify);
    proc.on('error', notify);
    const subscribe = (fn) => {
      changed.add(fn);
      return () => changed.delete(fn);
    };
    const listening = `Listening on the port :${this.chatPort}`;
    await until(
      () => this.stdout.includes(listening) || proc.exitCode !== null || proc.signalCode !== null,
      subscribe,
      `"${listening}" from ${serverBinary}`,
    );
    if (!this.stdout.includes(listening)) {
      throw new Error(`server did not start: ${this.stderr.trim() || 'exit ' + proc.exitCode}`);
    }
    await waitForPort(this.webPort);
  }

  // SIGTERM, as a service manager stops it; waits for the exit.
  async stop() {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), kWaitMs);
    await exited;
    clearTimeout(timer);
  }

  // Starts again on the same ports with the same options (and so the same --log).
  async restart() {
    await this.stop();
    let lastError;
    for (let attempt = 1; attempt <= kStartAttempts; attempt++) {
      try {
        await this.run();
        return;
      } catch (err) {
        lastError = err;
        await waitForPortFree(this.chatPort);
      }
    }
    throw lastError;
  }
}

// Polled, bounded in time: the port is normally open at the first try, since the server prints
// its first line once it listens.
const kPollMs = 50;
const pause = () => new Promise((resolve) => setTimeout(resolve, kPollMs));

async function waitForPort(port) {
  const deadline = Date.now() + kWaitMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, kHost);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} never accepted a connection`);
    await pause();
  }
}

async function waitForPortFree(port) {
  const deadline = Date.now() + kWaitMs;
  for (;;) {
    const free = await new Promise((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, kHost, () => probe.close(() => resolve(true)));
    });
    if (free || Date.now() > deadline) return;
    await pause();
  }
}

// A client as nc is one: raw bytes over TCP, lines ending in "\n".
class NcClient {
  constructor(port) {
    this.received = '';
    this.closed = false;
    this.listeners = new Set();
    this.socket = net.connect(port, kHost);
    this.socket.setEncoding('utf8');
    this.socket.on('data', (d) => {
      this.received += d;
      this.listeners.forEach((fn) => fn());
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.listeners.forEach((fn) => fn());
    });
    this.socket.on('error', () => {});
  }

  // `password`: the chat's, sent at its prompt first.
  static async join(port, name, password = null) {
    const client = new NcClient(port);
    if (password !== null) {
      await client.waitFor('[ENTER THE PASSWORD]: ');
      client.send(password);
    }
    await client.waitFor('[ENTER YOUR NAME]: ');
    client.send(name);
    await client.waitFor(new RegExp(`\\]\\[${escapeRegExp(name)}\\]:$`));
    return client;
  }

  send(line) {
    this.socket.write(line + '\n');
  }

  // Waits until what was received contains `what` (a string, or a RegExp tested against all).
  waitFor(what, ms = kWaitMs) {
    const test = typeof what === 'string' ? () => this.received.includes(what) : () => what.test(this.received);
    return until(test, (fn) => {
      this.listeners.add(fn);
      return () => this.listeners.delete(fn);
    }, `${what} from the server; got ${JSON.stringify(this.received.slice(-300))}`, ms);
  }

  close() {
    this.socket.destroy();
  }
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Headless Chromium with a profile of its own, removed on close; `options` go to its context.
async function launchBrowser(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'netcat-chat-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: kChromiumArgs,
      viewport: { width: 800, height: 600 },
      timeout: kWaitMs * 2,
      ...options,
    });
  } catch (err) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// --- The page, as a user sees it -----------------------------------------------------------------

// Opens the page; records dialogs (none may ever open), page errors and how many WebSockets it
// opened. With `fakeClock` the page's timers wait for page.clock.runFor() (its reconnection
// delays among them), so a test can see that nothing was scheduled without waiting for it.
async function openPage(browser, server, viewport, { fakeClock = false } = {}) {
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  if (fakeClock) await page.clock.install();
  page.dialogs = [];
  page.errors = [];
  page.sockets = 0;
  page.on('websocket', () => {
    page.sockets += 1;
  });
  page.on('dialog', (dialog) => {
    page.dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (err) => page.errors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.errors.push(msg.text());
  });
  // Violations of the page's Content-Security-Policy, collected from the start.
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  page.response = await page.goto(server.url, { timeout: kWaitMs });
  return page;
}

function rows(page) {
  return page.$$eval('#transcript > div', (divs) => divs.map((d) => d.textContent));
}

function promptText(page) {
  return page.textContent('#prompt');
}

// Waits until a transcript row matches `pattern` (a RegExp source string) `count` times.
async function waitForRow(page, pattern, count = 1) {
  await page.waitForFunction(
    ([source, n]) => {
      const re = new RegExp(source);
      let seen = 0;
      for (const d of document.querySelectorAll('#transcript > div')) if (re.test(d.textContent)) seen++;
      return seen >= n;
    },
    [pattern, count],
    { timeout: kWaitMs },
  );
}

async function waitForPrompt(page, pattern) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.getElementById('prompt').textContent),
    pattern,
    { timeout: kWaitMs },
  );
}

async function typeLine(page, text) {
  await page.focus('#line');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

// Answers the name prompt and waits until the name is accepted.
async function joinAs(page, name) {
  await waitForPrompt(page, '^\\[ENTER YOUR NAME\\]: $');
  await typeLine(page, name);
  await waitForPrompt(page, `^\\[[^\\]]+\\]\\[${escapeRegExp(name)}\\]:$`);
}

module.exports = {
  kChromiumArgs,
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
  until,
};
